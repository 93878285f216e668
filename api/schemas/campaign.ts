import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { rowIdText } from './row-id.ts';
import { CAMPAIGN_STATUSES } from '../../core/campaign-status.ts';
import { DRIP_CONDITIONS } from '../../core/drip-condition.ts';
import { DEFAULT_FREQUENCY_CAP } from '../../core/frequency-cap.ts';
import { MESSAGE_STATUSES } from '../../core/message-status.ts';
import { contactFilterInput } from './contact-filter.ts';
import { mediaUrls } from './message.ts';
import { DEFAULT_MAX_SEGMENTS, MAX_SEGMENTS_LIMIT } from '../../core/segments.ts';
import {
  legalFloorView,
  sendingWindowFields,
  sendingWindowInput,
  sendingWindowView,
} from './sending-window.ts';
import { PG_INTEGER_MAX } from './pg-integer.ts';

const condition = z.enum(DRIP_CONDITIONS);

export const stepInput = z.object({
  template: z.string().min(1).max(1600),
  delay_seconds: z.number().int().min(0).max(PG_INTEGER_MAX).default(0),
  condition: condition.default('all'),
  condition_keyword: z.string().min(1).optional(),
  media_urls: mediaUrls.optional(),
});

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

/** Why a 5-field cron expression can never fire, or null (cron-parser reads it). */
function cronProblem(expression: string): string | null {
  try {
    CronExpressionParser.parse(expression, { strict: false });
    return null;
  } catch (error) {
    return `not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export const dripInput = z
  .object({
    every_seconds: z
      .number()
      .int()
      .min(1)
      .max(31 * 86_400)
      .optional(),
    cron: z
      .string()
      .max(200)
      .regex(/^(\S+\s+){4}\S+$/, 'a 5-field cron expression')
      .superRefine((expression, context) => {
        const problem = cronProblem(expression);
        if (problem !== null) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    time_zone: timeZone.default('UTC'),
  })
  .refine(
    (drip) => (drip.every_seconds === undefined) !== (drip.cron === undefined),
    'give either every_seconds or cron',
  );

export const frequencyCapInput = z
  .object({
    max: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .describe('Most texts per contact in the window, counting every campaign; 0: no cap'),
    days: z
      .number()
      .positive()
      .max(366)
      .describe('The rolling window in days (fractions allowed: 0.5 is twelve hours)'),
  })
  .strict()
  .describe(
    'At most `max` marketing texts per contact in any rolling `days`, across campaigns. A contact at the cap is deferred (wait_reason frequency_cap) until the oldest counted text leaves the window, not dropped',
  );

export const suppressionListId = z
  .string()
  .regex(
    /^(global|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i,
    'a suppression list id (a UUID, or global)',
  )
  .transform((id) => id.toLowerCase());

const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

/** A scheduled start: a future instant with its offset, at most a year ahead. */
export const startAtInput = z.iso
  .datetime({ offset: true })
  .refine((value) => Date.parse(value) > Date.now(), 'start_at must be in the future')
  .refine(
    (value) => Date.parse(value) <= Date.now() + YEAR_MS,
    'start_at is more than a year ahead',
  )
  .describe(
    'When the broadcast starts (ISO 8601 with offset). A launch returns at once and the campaign is `scheduled` until then; cancel before it fires and nothing is sent',
  );

/** The scheduling and targeting fields of a campaign (also what a PATCH of a draft may change). */
export const targetingFields = {
  start_at: startAtInput.optional(),
  filter: contactFilterInput.optional(),
  exclude_audience_ids: z
    .array(z.uuid())
    .max(20)
    .default([])
    .describe('Contacts in any of these audiences are not texted (skipped as excluded_audience)'),
};

/**
 * The fields of a campaign as `POST /v1/campaigns` takes them. `PATCH /v1/campaigns/:id` is
 * built from the same shape (api/schemas/campaign-patch.ts), so a field added here can be
 * changed on a draft too.
 */
export const campaignFields = z
  .object({
    name: z.string().min(1).max(200),
    audience_id: z.string().uuid(),
    sms_pool_id: z.string().uuid(),
    followup_pool_id: z.string().uuid().optional(),
    steps: z.array(stepInput).min(1).max(20),
    ...targetingFields,
    ...sendingWindowFields,
    max_segments: z
      .number()
      .int()
      .min(1)
      .max(MAX_SEGMENTS_LIMIT)
      .default(DEFAULT_MAX_SEGMENTS)
      .describe(
        'Most segments one message may take: a template whose fixed text is longer is refused, and a rendered message that is longer is skipped as too_many_segments',
      ),
    retry_policy: z
      .object({
        max_attempts: z.number().int().min(1).max(10),
        backoff_seconds: z.number().min(0).max(86_400),
      })
      .default({ max_attempts: 3, backoff_seconds: 60 }),
    help_text: z.string().max(320).optional(),
    handoff: z
      .object({
        mode: z
          .enum(['imessage', 'text_us'])
          .optional()
          .describe(
            'imessage: the sticky Blooio line writes first; text_us: an SMS answer from the number they replied to gives them the line',
          ),
        followup_text: z
          .string()
          .min(1)
          .max(1_000)
          .optional()
          .describe('The iMessage follow-up; {{followup_number}} is their Blooio line'),
        text_us_text: z
          .string()
          .min(1)
          .max(320)
          .optional()
          .describe('The SMS of text_us mode, e.g. "Text us at {{followup_number}}"'),
      })
      .optional()
      .describe("This campaign's hand-off; anything left out takes the server's default"),
    frequency_cap: frequencyCapInput.default(DEFAULT_FREQUENCY_CAP),
    suppression_list_ids: z
      .array(suppressionListId)
      .max(100)
      .default([])
      .describe(
        'Suppression lists this campaign honours, besides the global list, which every campaign honours',
      ),
    interested_keywords: z.array(z.string().min(1).max(40)).min(1).default(['YES']),
    /** When drip steps (after the first) are looked at: an interval or a cron expression. */
    drip: dripInput.default({ every_seconds: 3600, time_zone: 'UTC' }),
  })
  .meta({
    examples: [
      {
        name: 'Spring promo, pro plan in CA and NY',
        audience_id: '3f2b8c1e-6d4a-4e9b-a1c2-7d8e9f0a1b2c',
        sms_pool_id: '0b6c3a52-1f7e-4b8e-9d53-2c1a4e5f6a7b',
        steps: [{ template: 'Hi {{first_name}}, reply YES to learn more' }],
        start_at: '2026-12-24T17:00:00Z',
        filter: {
          all: [
            { field: 'state', op: 'in', value: ['CA', 'NY'] },
            { field: 'attributes.plan', op: 'eq', value: 'pro' },
          ],
        },
        exclude_audience_ids: ['9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'],
      },
    ],
  });

export const campaignInput = campaignFields
  .superRefine(sendingWindowInput.check)
  .transform(sendingWindowInput.resolve);
export type CampaignInput = z.output<typeof campaignInput>;

export const campaignId = z.object({ id: z.string().uuid() });

export const funnel = z.object({
  targeted: z.number(),
  skipped: z.number(),
  skipped_reasons: z.record(z.string(), z.number()),
  queued: z.number(),
  sending: z.number(),
  /** Sent, but the carrier's answer was lost: tandem asks the carrier before anything else. */
  unknown: z.number(),
  sent: z.number(),
  delivered: z.number(),
  failed: z.number(),
  retried: z.number(),
  deferred: z.number(),
  /** Messages with no carrier message yet, by why they wait, and the earliest next try. */
  waiting_reasons: z.record(
    z.string(),
    z.object({ count: z.number(), deferred_until: z.string().nullable() }),
  ),
  /** Never sent: the campaign was cancelled first. */
  cancelled: z.number(),
  replied: z.number(),
  interested: z.number(),
  handed_off: z.number(),
  /** Contacts interested but not handed off, by reason (e.g. `no_followup_pool`). */
  not_handed_off: z.record(z.string(), z.number()),
  opted_out: z.number(),
});

export const campaignView = z.object({
  id: z.string(),
  name: z.string(),
  status: z
    .enum(CAMPAIGN_STATUSES)
    .describe(
      'scheduled: launched, waiting for start_at. ' +
        'waiting_for_drip: the broadcast is over and a drip step can still fire for someone; ' +
        'completed once none can (its drip Schedule then ends).',
    ),
  audience_id: z.string(),
  sms_pool_id: z.string(),
  followup_pool_id: z.string().nullable(),
  start_at: z
    .string()
    .nullable()
    .describe('When the broadcast starts; null: at launch. While it is to come: status scheduled'),
  filter: z
    .object({
      all: z.array(z.record(z.string(), z.unknown())).optional(),
      any: z.array(z.record(z.string(), z.unknown())).optional(),
    })
    .nullable()
    .describe('Who of the audience is texted; null: everyone'),
  exclude_audience_ids: z.array(z.string()).describe('Audiences whose contacts are not texted'),
  handoff: z.object({
    mode: z.enum(['imessage', 'text_us']),
    followup_text: z.string(),
    text_us_text: z.string(),
  }),
  sending_window: sendingWindowView,
  sending_window_effective: sendingWindowView
    .nullable()
    .describe('The window messages actually go in: the request clamped to 08:00–21:00'),
  legal_floor: legalFloorView,
  max_segments: z.number(),
  retry_policy: z.object({ max_attempts: z.number(), backoff_seconds: z.number() }),
  frequency_cap: z
    .object({ max: z.number(), days: z.number() })
    .describe('At most max texts per contact in any rolling days, across campaigns; max 0: none'),
  suppression_list_ids: z
    .array(z.string())
    .describe('The suppression lists the campaign honours: `global` and those it named'),
  steps: z.array(
    z.object({
      step: z.number(),
      template: z.string(),
      delay_seconds: z.number(),
      condition: z.string(),
      condition_keyword: z.string().nullable(),
      media_urls: z.array(z.string()).describe('Media sent with the step (an MMS); empty: an SMS'),
      segments: z
        .object({
          encoding: z.enum(['GSM-7', 'UCS-2']),
          per_message: z.number().describe('Segments of this message for a sample contact'),
          static_part: z.number().describe('Segments of the fixed text (variables left out)'),
          sampled: z.boolean().describe('False when the audience has no contact to sample'),
          estimated_total: z
            .number()
            .describe('per_message × contacts in the audience: the segments carriers bill'),
        })
        .describe('The size of one message of this step, and of the step over the audience'),
      counts: z.object({
        targeted: z.number(),
        pending: z.number(),
        sent: z.number(),
        delivered: z.number(),
        failed: z.number(),
        skipped: z.number(),
        cancelled: z.number(),
      }),
    }),
  ),
  drip: z.object({
    every_seconds: z.number().optional(),
    cron: z.string().optional(),
    time_zone: z.string(),
  }),
  next_drip_run_at: z.string().nullable(),
  workflow_id: z.string().nullable(),
  temporal_ui_url: z.string().nullable(),
  created_at: z.string(),
  launched_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  funnel,
  /**
   * Set while the campaign runs with messages left and has sent or ended none for
   * CAMPAIGN_STALL_SECONDS: since when, and why most of its messages wait.
   */
  stalled: z
    .object({
      since: z.string(),
      reason: z.string(),
      waiting: z.number(),
      deferred_until: z.string().nullable(),
    })
    .nullable(),
});

export const launchView = z.object({
  campaign_id: z.string(),
  workflow_id: z.string(),
  run_id: z.string().nullable(),
  temporal_ui_url: z.string(),
  already_launched: z.boolean(),
});

export const messagesQuery = z.object({
  status: z.enum(MESSAGE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: rowIdText.optional(),
});

export const messageView = z.object({
  id: z.string(),
  step: z.number(),
  contact_id: z.string(),
  to: z.string(),
  from: z.string().nullable(),
  body: z.string().nullable(),
  segments: z.number().nullable(),
  status: z.string(),
  error_code: z.number().nullable(),
  skip_reason: z.string().nullable(),
  attempts: z.number(),
  /** When the message is next looked at: a retry, a deferred send, or asking the carrier. */
  next_attempt_at: z.string().nullable(),
  /** Why a message with no carrier message yet waits (core/wait-reason.ts), or null. */
  wait_reason: z.string().nullable(),
  /** For a `legal_holiday` or `sunday_ban` wait: which holiday or ban, and where. */
  wait_detail: z.string().nullable(),
  /** When a waiting message is tried again (its next_attempt_at), or null when it does not wait. */
  deferred_until: z.string().nullable(),
  provider_sid: z.string().nullable(),
  updated_at: z.string(),
});
