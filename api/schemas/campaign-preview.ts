import { z } from 'zod';
import { PREVIEW_REASONS } from '../../core/campaign-preview.ts';

export const previewQuery = z.object({
  samples: z.coerce
    .number()
    .int()
    .min(0)
    .max(20)
    .default(5)
    .describe('Rendered messages shown per step (the first contacts that pass the targeting)'),
});

const reasonCounts = z
  .object(Object.fromEntries(PREVIEW_REASONS.map((reason) => [reason, z.number().int()])))
  .describe(
    'Contacts not texted now, each counted once by the first reason met: already_messaged (this campaign already has a final message for them), opted_out, excluded_audience, filtered_out, suppressed (global list or one the campaign honours), outside_window (their local sending window is closed now: deferred), invalid (a template variable without a value or fallback), frequency_capped (deferred), no_sender (no number of the pool can send now: deferred)',
  );

const sample = z.object({
  contact_id: z.string(),
  to: z.string(),
  body: z.string().nullable().describe('The message as this contact would get it'),
  segments: z.number().int().nullable(),
  encoding: z.enum(['GSM-7', 'UCS-2']).nullable(),
  characters: z.number().int().nullable(),
  error: z
    .string()
    .nullable()
    .describe('Why it would not be sent (a variable without a value, too many segments)'),
});

export const previewView = z
  .object({
    campaign_id: z.string(),
    audience: z.number().int().describe('Contacts in the campaign audience'),
    would_text: z.number().int().describe('Contacts that would be texted if it started now'),
    not_texted: reasonCounts,
    sender: z.object({
      can_send_now: z.boolean(),
      reason: z.string().nullable().describe('Why no number of the SMS pool can send now'),
    }),
    steps: z.array(
      z.object({
        step: z.number().int(),
        samples: z.array(sample),
      }),
    ),
    computed_at: z.string(),
  })
  .meta({
    examples: [
      {
        campaign_id: '6f1c2a9e-3b7d-4c55-9a0e-1d2f3a4b5c6d',
        audience: 1000,
        would_text: 812,
        not_texted: {
          already_messaged: 0,
          opted_out: 12,
          excluded_audience: 40,
          filtered_out: 120,
          suppressed: 6,
          outside_window: 0,
          invalid: 10,
          frequency_capped: 0,
          no_sender: 0,
        },
        sender: { can_send_now: true, reason: null },
        steps: [
          {
            step: 0,
            samples: [
              {
                contact_id: '17',
                to: '+14155550123',
                body: 'Hi Ana, reply YES to learn more',
                segments: 1,
                encoding: 'GSM-7',
                characters: 31,
                error: null,
              },
            ],
          },
        ],
        computed_at: '2026-12-06T15:04:05.000Z',
      },
    ],
  });
