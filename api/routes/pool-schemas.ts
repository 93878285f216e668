import { z } from 'zod';

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
    /** Unique new recipients per day; null for none. */
    daily_cap: z.number().int().positive().nullable().optional(),
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
const state = z.enum(['active', 'cooling', 'probation', 'retired', 'misconfigured']);

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
  }),
});

export const numberSchema = z.object({
  id: z.string(),
  pool_id: z.string(),
  phone: z.string(),
  kind: numberKind,
  weight: z.number(),
  mps: z.number(),
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
