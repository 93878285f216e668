import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../core/webhook-contracts.ts';

const iso = z.string();

export const endpointInput = z.object({
  url: z.string().max(2000).describe('Where events are POSTed: an http(s) URL of your own system'),
  events: z
    .array(z.string().max(100))
    .max(WEBHOOK_EVENT_TYPES.length * 2)
    .describe(`Event types to receive, at least one of: ${WEBHOOK_EVENT_TYPES.join(', ')}`),
  description: z.string().max(500).optional(),
});

export const endpointParams = z.object({ id: z.string().min(1).max(100) });

export const endpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().nullable(),
  enabled: z.boolean(),
  created_at: iso,
  disabled_at: iso.nullable(),
});

export const createdEndpointSchema = endpointSchema.extend({
  secret: z
    .string()
    .describe(
      'Signing secret (`whsec_…`): shown only in this answer; keep it to verify deliveries',
    ),
});

export const deliveriesQuery = z.object({
  status: z.enum(['pending', 'delivered', 'failing', 'given_up']).optional(),
  cursor: z.string().max(200).optional().describe('`next_cursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const deliverySchema = z.object({
  event_id: z.string().describe('The `id` the receiver de-duplicates on (`evt_…`)'),
  event_type: z.string(),
  status: z.enum(['pending', 'delivered', 'failing', 'given_up']),
  attempts: z.number().int(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: iso,
  last_attempt_at: iso.nullable(),
  delivered_at: iso.nullable(),
});

export const deliveriesPage = z.object({
  deliveries: z.array(deliverySchema),
  next_cursor: z.string().nullable(),
});
