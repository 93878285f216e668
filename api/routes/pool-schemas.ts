import { z } from 'zod';
import { NUMBER_STATES } from '../../core/sender-pool.ts';

const weight = z.number().int().min(0).max(10_000);
export const E164 = /^\+[1-9]\d{6,14}$/;
const SHORT_CODE = /^\d{3,8}$/;

export const poolInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  provider: z.enum(['twilio', 'blooio']),
  sticky_sender: z.boolean().optional(),
  geomatch: z.boolean().optional(),
  skip_unhealthy: z.boolean().optional(),
  /** 0 removes the kind from selection. */
  long_code_weight: weight.optional(),
  toll_free_weight: weight.optional(),
  short_code_weight: weight.optional(),
});

export const numberKind = z.enum(['long_code', 'toll_free', 'short_code', 'imessage']);

export const numberInput = z
  .strictObject({
    phone: z.string().trim(),
    kind: numberKind.optional(),
    weight: weight.optional(),
    mps: z.number().positive().max(10_000).optional(),
    mms_mps: z
      .number()
      .positive()
      .max(10_000)
      .nullable()
      .optional()
      .describe("MMS per second (a message with media); null: the number's mps"),
    /** Unique new recipients per day; null for none. */
    daily_cap: z.number().int().positive().max(10_000_000).nullable().optional(),
    /** Overrides what the phone number's own area code and region say. */
    area_code: z
      .string()
      .regex(/^\d{2,5}$/)
      .nullable()
      .optional(),
    region: z.string().trim().min(1).max(80).nullable().optional(),
  })
  .refine((n) => E164.test(n.phone) || (n.kind === 'short_code' && SHORT_CODE.test(n.phone)), {
    message: 'phone must be E.164 (+14155550123); short codes may be 3-8 digits',
    path: ['phone'],
  });

export const poolParams = z.object({ id: z.uuid() });
export const poolNumberParams = z.object({ id: z.uuid(), phone: z.string().min(3).max(20) });

const timestamp = z.string();
const state = z
  .enum(NUMBER_STATES)
  .describe(
    'active, probation (reduced weight after a cool-down), cooling (skipped: low delivery rate), misconfigured (the carrier refused it as a sender), paused (by an operator), retired',
  );

/** Per-pool health thresholds; null puts a field back on the server's HEALTH_* setting. */
export const healthThresholdsInput = z.strictObject({
  threshold: z.number().min(0).max(1).nullable().optional(),
  min_samples: z.number().int().min(1).max(100_000).nullable().optional(),
  cooldown_seconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .nullable()
    .optional(),
  probation_seconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .nullable()
    .optional(),
  probation_good: z.number().int().min(1).max(100_000).nullable().optional(),
  probation_min_samples: z.number().int().min(1).max(100_000).nullable().optional(),
});

export const poolPatch = poolInput
  .omit({ provider: true })
  .partial()
  .extend({
    health_thresholds: healthThresholdsInput
      .optional()
      .describe("This pool's health thresholds (null: back to the server's setting)"),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'give at least one field to change',
  })
  .meta({
    examples: [
      { geomatch: false, toll_free_weight: 0 },
      { health_thresholds: { threshold: 0.9, cooldown_seconds: 3600, min_samples: null } },
    ],
  });

export const numberPatch = z
  .strictObject({
    weight: weight.optional(),
    mps: z.number().positive().max(10_000).optional(),
    mms_mps: z
      .number()
      .positive()
      .max(10_000)
      .nullable()
      .optional()
      .describe("MMS per second (a message with media); null: the number's mps"),
    daily_cap: z
      .number()
      .int()
      .positive()
      .max(10_000_000)
      .nullable()
      .optional()
      .describe('Unique new recipients per day; null for none'),
    reason: z.string().trim().min(1).max(500).optional().describe('Why: kept in its history'),
  })
  .refine(
    (patch) =>
      patch.weight !== undefined ||
      patch.mps !== undefined ||
      patch.mms_mps !== undefined ||
      patch.daily_cap !== undefined,
    { message: 'give weight, mps, mms_mps or daily_cap' },
  )
  .meta({ examples: [{ weight: 3, mps: 2, reason: 'carrier raised our throughput' }] });

export const numberActionBody = z
  .strictObject({
    reason: z
      .string()
      .trim()
      .min(1, 'a reason is required')
      .max(500)
      .describe('Why: kept in the number history'),
  })
  .meta({ examples: [{ reason: 'carrier complaint under review' }] });

export const numberReleaseBody = z
  .strictObject({
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe('Why: kept in the number history'),
  })
  .meta({ examples: [{ reason: 'carrier confirmed the filter was lifted' }] });

export const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const historyEntrySchema = z.object({
  kind: z
    .enum(['state_change', 'settings_change'])
    .describe(
      'state_change: its state moved (health, carrier error or operator); settings_change: an operator changed weight, MPS or daily cap',
    ),
  actor: z
    .string()
    .describe("Who: 'tandem' for automatic changes, else the name of the API key used"),
  from_state: state.nullable(),
  to_state: state.nullable(),
  reason: z.string().nullable(),
  error_code: z.number().nullable(),
  delivery_rate: z.number().nullable(),
  samples: z.number().nullable(),
  changes: z
    .record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }))
    .nullable()
    .describe('For a settings change: each field, before and after'),
  at: timestamp,
});

export const numberHistorySchema = z
  .object({
    number: z.object({ id: z.string(), phone: z.string(), pool_id: z.string(), state }),
    history: z.array(historyEntrySchema).describe('Newest first'),
  })
  .meta({
    examples: [
      {
        number: {
          id: '12',
          phone: '+14155550100',
          pool_id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
          state: 'active',
        },
        history: [
          {
            kind: 'state_change',
            actor: 'ops-team',
            from_state: 'paused',
            to_state: 'active',
            reason: 'resume: review done',
            error_code: null,
            delivery_rate: null,
            samples: null,
            changes: null,
            at: '2026-12-06T11:00:00.000Z',
          },
          {
            kind: 'state_change',
            actor: 'tandem',
            from_state: 'probation',
            to_state: 'active',
            reason: 'probation passed: 20 delivered of 20 sender-attributable messages',
            error_code: null,
            delivery_rate: 1,
            samples: 20,
            changes: null,
            at: '2026-12-06T09:00:00.000Z',
          },
        ],
      },
    ],
  });

export const poolSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.enum(['twilio', 'blooio']),
  sticky_sender: z.boolean(),
  geomatch: z.boolean(),
  skip_unhealthy: z.boolean(),
  long_code_weight: z.number(),
  toll_free_weight: z.number(),
  short_code_weight: z.number(),
  health_thresholds: z
    .object({
      threshold: z.number().describe('Delivery rate (0–1) below which a number cools down'),
      min_samples: z
        .number()
        .describe('Sender-attributable outcomes before an active number is judged'),
      cooldown_seconds: z.number(),
      probation_seconds: z.number(),
      probation_good: z.number().describe('Delivered messages that end probation early'),
      probation_min_samples: z.number(),
      overridden: z
        .array(z.string())
        .describe(
          "The fields this pool sets itself; the others are the server's HEALTH_* settings",
        ),
    })
    .describe("The health thresholds this pool's numbers are judged by"),
  created_at: timestamp,
});

export const poolSummarySchema = poolSchema.extend({
  counts: z.object({
    numbers: z.number(),
    active: z.number(),
    probation: z.number(),
    cooling: z.number(),
    retired: z.number(),
    misconfigured: z.number(),
    paused: z.number(),
  }),
});

export const numberSchema = z.object({
  id: z.string(),
  pool_id: z.string(),
  phone: z.string(),
  kind: numberKind,
  weight: z.number(),
  mps: z.number(),
  mms_mps: z.number().nullable().describe("MMS per second; null: the number's mps"),
  daily_cap: z.number().nullable(),
  area_code: z.string().nullable(),
  region: z.string().nullable(),
  state,
  state_changed_at: timestamp,
  cooling_until: timestamp.nullable(),
  created_at: timestamp,
});

export const stateChangeSchema = z.object({
  from: state,
  to: state,
  reason: z.string(),
  /** The carrier's error code behind the change (21606 for a misconfigured sender), if any. */
  error_code: z.number().nullable(),
  delivery_rate: z.number().nullable(),
  samples: z.number().nullable(),
  at: timestamp,
});

export const numberDetailSchema = numberSchema.extend({
  health: z.object({
    delivery_rate: z.number().nullable(),
    samples: z.number(),
    delivered: z.number(),
    sender_failures: z.number(),
    failures_by_code: z.record(z.string(), z.number()),
    threshold: z.number(),
    min_samples: z.number(),
  }),
  new_recipients_today: z.number(),
  sticky_contacts: z.number(),
  recent_changes: z.array(stateChangeSchema),
});

export const reassignmentSchema = z.object({
  contact_id: z.string(),
  from_number_id: z.string().nullable(),
  to_number_id: z.string().nullable(),
  reason: z.string(),
  at: timestamp,
});

export const poolDetailSchema = poolSchema.extend({
  numbers: z.array(numberDetailSchema),
  recent_reassignments: z.array(reassignmentSchema),
});

export const retiredSchema = z.object({
  number: numberSchema,
  moved_contacts: z.number(),
  unassigned_contacts: z.number(),
});

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});
