import type { OperationExamples } from './types.ts';

/** The draft renamed and given a retry policy; the pool's cool-down set to a day. */
export const CHANGE_LOG_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'GET /v1/campaigns/{id}/changes': {
    responses: {
      200: {
        changes: [
          {
            id: '7',
            action: 'update',
            actor: 'ops-team',
            fields: {
              name: { before: 'Spring promo draft', after: 'Spring promo' },
              retry_policy: {
                before: { max_attempts: 3, backoff_seconds: 60 },
                after: { max_attempts: 5, backoff_seconds: 120 },
              },
            },
            reason: null,
            at: '2026-12-07T09:12:44.310Z',
          },
        ],
      },
    },
  },
  'GET /v1/pools/{id}/changes': {
    responses: {
      200: {
        changes: [
          {
            id: '3',
            action: 'update',
            actor: 'ops-team',
            fields: { cooldown_seconds: { before: null, after: 86400 } },
            reason: null,
            at: '2026-12-07T08:40:02.118Z',
          },
        ],
      },
    },
  },
};
