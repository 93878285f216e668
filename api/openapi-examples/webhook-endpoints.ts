import { WEBHOOK_ENDPOINT_ID } from './ids.ts';
import type { OperationExamples } from './types.ts';

const endpoint = {
  id: WEBHOOK_ENDPOINT_ID,
  url: 'https://crm.example.com/hooks/tandem',
  events: ['conversation.reply_received', 'conversation.handed_off', 'contact.opted_out'],
  description: 'CRM: replies and opt-outs',
  enabled: true,
  created_at: '2026-12-07T15:33:48.019Z',
  disabled_at: null,
};

const delivered = {
  event_id: 'evt_cf853174da1e43dc97d08b00af4b6770',
  event_type: 'conversation.handed_off',
  status: 'delivered',
  attempts: 1,
  last_status_code: 200,
  last_error: null,
  created_at: '2026-12-07T17:06:45.871Z',
  last_attempt_at: '2026-12-07T17:06:46.102Z',
  delivered_at: '2026-12-07T17:06:46.102Z',
};

export const WEBHOOK_ENDPOINT_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'POST /v1/webhook-endpoints': {
    request: { url: endpoint.url, events: endpoint.events, description: endpoint.description },
    responses: { 201: { ...endpoint, secret: 'whsec_34jcyZCpwLx7TxxIGfrAHyvaz_KmqVUw' } },
  },
  'GET /v1/webhook-endpoints': { responses: { 200: { endpoints: [endpoint] } } },
  'GET /v1/webhook-endpoints/{id}': { responses: { 200: endpoint } },
  'DELETE /v1/webhook-endpoints/{id}': {
    responses: {
      200: { ...endpoint, enabled: false, disabled_at: '2026-12-10T09:14:03.550Z' },
    },
  },
  'GET /v1/webhook-endpoints/{id}/deliveries': {
    responses: {
      200: {
        deliveries: [
          {
            event_id: 'evt_0a93a8e51503473583d7019c894e40f3',
            event_type: 'contact.opted_out',
            status: 'failing',
            attempts: 3,
            last_status_code: 503,
            last_error: 'HTTP 503',
            created_at: '2026-12-07T17:20:18.742Z',
            last_attempt_at: '2026-12-07T17:21:02.410Z',
            delivered_at: null,
          },
          delivered,
          {
            ...delivered,
            event_id: 'evt_d47dcd9aa4f6480cb62d8a68da251afd',
            event_type: 'conversation.reply_received',
            created_at: '2026-12-07T17:06:44.090Z',
            last_attempt_at: '2026-12-07T17:06:44.385Z',
            delivered_at: '2026-12-07T17:06:44.385Z',
          },
        ],
        next_cursor: null,
      },
    },
  },
};
