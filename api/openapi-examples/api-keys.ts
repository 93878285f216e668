import type { OperationExamples } from './types.ts';

const bootstrap = {
  id: 'key_5d1c2f0e9a8b7c6d5e4f3a2b',
  name: 'bootstrap',
  scope: 'admin',
  prefix: 'env:API_KEY',
  created_at: '2026-12-07T09:00:12.402Z',
  last_used_at: '2026-12-07T15:31:05.118Z',
  revoked_at: null,
};

const inbox = {
  id: 'key_9f2e4c6a8b0d1e3f5a7c9e1b',
  name: 'inbox agents',
  scope: 'send',
  prefix: 'tdm_Qm3xR8vK',
  created_at: '2026-12-07T15:33:48.019Z',
  last_used_at: null,
  revoked_at: null,
};

export const API_KEY_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'POST /v1/api-keys': {
    request: { name: inbox.name, scope: inbox.scope },
    responses: { 201: { ...inbox, key: 'tdm_Qm3xR8vKpL2nW7yT4cZ9hB6fJ1dS5gA0eU3iO8rV2kX' } },
  },
  'GET /v1/api-keys': {
    responses: {
      200: { api_keys: [bootstrap, { ...inbox, last_used_at: '2026-12-07T16:02:44.731Z' }] },
    },
  },
  'DELETE /v1/api-keys/{id}': {
    responses: { 200: { ...inbox, revoked_at: '2026-12-09T11:20:00.000Z' } },
  },
};
