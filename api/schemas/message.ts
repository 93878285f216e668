import { z } from 'zod';
import { MAX_MEDIA_URLS, mediaUrlProblem } from '../../core/one-off.ts';
import { MESSAGE_STATUSES } from '../../core/message-status.ts';

/** Text PostgreSQL can store: no NUL character. */
const storable = (max: number) =>
  z
    .string()
    .max(max)
    .refine((text) => !text.includes('\u0000'), 'must not contain NUL characters');

const mediaUrl = storable(2048).superRefine((url, ctx) => {
  const problem = mediaUrlProblem(url);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** Up to 10 http(s) URLs, as Twilio's `MediaUrl` takes them (21620, 21623 beyond). */
export const mediaUrls = z
  .array(mediaUrl)
  .max(MAX_MEDIA_URLS, `at most ${MAX_MEDIA_URLS} media URLs per message (Twilio error 21623)`)
  .describe(
    'Media sent with the text as an MMS (Twilio `MediaUrl`): up to 10 publicly reachable http or https URLs',
  );

export const sendMessageBody = z
  .object({
    to: storable(40).min(1).describe('The recipient, E.164 or as people write it'),
    body: storable(1600).min(1).describe('The text, sent as it is (no template variables)'),
    media_urls: mediaUrls.optional(),
    pool_id: z.uuid().describe('The SMS pool that picks the sender'),
    from_number: storable(40)
      .min(1)
      .optional()
      .describe(
        'A sender of the pool to use instead of its choice (403 when the pool does not own it)',
      ),
    retry_policy: z
      .object({
        max_attempts: z.number().int().min(1).max(10),
        backoff_seconds: z.number().min(0).max(86_400),
      })
      .optional()
      .describe('Retries after a carrier failure, from another number; default 3 attempts, 60 s'),
  })
  .strict()
  .meta({
    examples: [
      {
        to: '+14155550123',
        body: 'Your table for two is ready.',
        pool_id: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
      },
      {
        to: '(212) 555-0188',
        body: 'Here is the menu.',
        media_urls: ['https://cdn.example.com/menu.jpg'],
        pool_id: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
        from_number: '+12125550100',
      },
    ],
  });

export const messageParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,18}$/, 'a message id (digits)')
    .describe('The message id'),
});

const iso = z.string().describe('ISO 8601 time');

export const messageResource = z
  .object({
    id: z.string(),
    campaign_id: z.string().nullable().describe('Null for a one-off send'),
    pool_id: z.string().nullable().describe("A one-off's pool"),
    to: z.string(),
    from: z
      .string()
      .nullable()
      .describe('The sender the pool chose; null while a deferred message waits for its window'),
    sender_reason: z
      .enum(['sticky', 'geomatch_area_code', 'geomatch_region', 'weighted', 'explicit'])
      .nullable()
      .describe(
        'Why that sender: sticky (it texted them before), geomatch_area_code / geomatch_region (a local number), weighted (the pool’s weighted rotation), explicit (from_number)',
      ),
    body: z.string().nullable(),
    media_urls: z.array(z.string()),
    num_media: z.number().int().describe('Media sent with it (0: an SMS)'),
    segments: z.number().nullable(),
    status: z
      .enum([...MESSAGE_STATUSES, 'scheduled'])
      .describe(
        'pending (queued here), scheduled (waits until deferred_until: see wait_reason), sending, unknown, queued, sent, delivered, undelivered, failed, skipped (see skip_reason), cancelled',
      ),
    deferred_until: iso.nullable().describe('When a waiting message is tried again'),
    wait_reason: z
      .string()
      .nullable()
      .describe('Why it waits: quiet_hours, legal_holiday, retry_backoff, no_sender, …'),
    wait_detail: z.string().nullable(),
    error_code: z.number().nullable().describe("The carrier's error code (Twilio's)"),
    skip_reason: z.string().nullable(),
    attempts: z.number(),
    provider_sid: z.string().nullable(),
    created_at: iso,
    updated_at: iso,
    sent_at: iso.nullable(),
    final_at: iso.nullable(),
  })
  .meta({
    examples: [
      {
        id: '1042',
        campaign_id: null,
        pool_id: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
        to: '+14155550123',
        from: '+14155550001',
        sender_reason: 'geomatch_area_code',
        body: 'Your table for two is ready.',
        media_urls: [],
        num_media: 0,
        segments: 1,
        status: 'pending',
        deferred_until: null,
        wait_reason: null,
        wait_detail: null,
        error_code: null,
        skip_reason: null,
        attempts: 0,
        provider_sid: null,
        created_at: '2026-12-06T15:04:05.000Z',
        updated_at: '2026-12-06T15:04:05.000Z',
        sent_at: null,
        final_at: null,
      },
      {
        id: '1043',
        campaign_id: null,
        pool_id: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
        to: '+12125550188',
        from: null,
        sender_reason: null,
        body: 'Here is the menu.',
        media_urls: ['https://cdn.example.com/menu.jpg'],
        num_media: 1,
        segments: 1,
        status: 'scheduled',
        deferred_until: '2026-12-07T13:00:00.000Z',
        wait_reason: 'quiet_hours',
        wait_detail: null,
        error_code: null,
        skip_reason: null,
        attempts: 0,
        provider_sid: null,
        created_at: '2026-12-07T03:10:00.000Z',
        updated_at: '2026-12-07T03:10:00.000Z',
        sent_at: null,
        final_at: null,
      },
    ],
  });
