import { z } from 'zod';

/** Schemas of everything the control API accepts; the in-process API takes the same shapes. */

const phone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number');
const rate = z.number().min(0).max(1);
const range = z
  .object({ min: z.number().int().nonnegative(), max: z.number().int().nonnegative() })
  .refine((value) => value.max >= value.min, 'max must be >= min');

export const latencySchema = z.union([z.number().int().nonnegative(), range]);
export type Latency = z.infer<typeof latencySchema>;

export const errorMixSchema = z.record(z.string().regex(/^\d{5}$/), z.number().nonnegative());

/** A number of the account: E.164, or a short code (5–6 digits). */
const accountNumber = z
  .string()
  .regex(/^(\+[1-9]\d{6,14}|\d{5,6})$/, 'must be an E.164 phone number or a 5-6 digit short code');

export const numberSchema = z.object({
  phoneNumber: accountNumber,
  mps: z.number().positive().default(1),
  /** Messages with media (MMS) per second; absent: `mps`. MMS are metered apart from SMS. */
  mmsMps: z.number().positive().optional(),
  deliveryRate: rate.default(1),
  errorMix: errorMixSchema.default({ '30008': 1 }),
  latencyMs: latencySchema.default({ min: 20, max: 200 }),
  duplicateRate: rate.default(0),
  outOfOrderRate: rate.default(0),
  /**
   * Where its inbound messages go (its IncomingPhoneNumber `sms_url`); absent: the sandbox's
   * `inboundUrl`, a convenience of the sandbox (a real number without one answers nothing).
   */
  inboundUrl: z.string().url().optional(),
  /** Its IncomingPhoneNumber `sms_method`. */
  smsMethod: z.enum(['GET', 'POST']).default('POST'),
  /** Its IncomingPhoneNumber `friendly_name` (default: the number, formatted). */
  friendlyName: z.string().max(64).optional(),
  voiceCapable: z.boolean().default(true),
  /** False for a number of the account that cannot send SMS (voice only): refused as From with 21606. */
  smsCapable: z.boolean().default(true),
  /** Status callbacks of the number's TwiML answers that name none (as a Messaging Service's). */
  statusCallback: z.string().url().optional(),
});
export type NumberBehaviour = z.output<typeof numberSchema>;

export const recipientSchema = z.object({
  phoneNumber: phone,
  /** Every message to this recipient ends with this error (e.g. 30006 for a landline). */
  errorCode: z.number().int().optional(),
  /** Overrides the reply decision for this recipient: a reply body, or null for never. */
  reply: z.string().nullable().optional(),
  /**
   * The account's opt-out handling (Twilio Advanced Opt-Out) holds this recipient's STOP, which
   * never reached the application: every send to them, from any number, is refused with 400
   * and error 21610, as Twilio refuses a send to an unsubscribed recipient.
   */
  carrierOptOut: z.boolean().optional(),
});
export type RecipientOverride = z.output<typeof recipientSchema>;

export const replySchema = z.object({
  share: rate.default(0),
  mix: z.record(z.string(), z.number().nonnegative()).default({ YES: 1 }),
  delayMs: latencySchema.default({ min: 50, max: 500 }),
  /** A recipient answers at most once per (sender, recipient) unless this is true. */
  repeat: z.boolean().default(false),
});
export type ReplyBehaviour = z.output<typeof replySchema>;

export const blooioKeySchema = z.object({
  key: z.string().min(1),
  kind: z.enum(['blooio', 'twilio']).default('blooio'),
  numbers: z.array(phone).default([]),
});
export type BlooioKey = z.output<typeof blooioKeySchema>;

export const blooioSchema = z.object({
  keys: z.array(blooioKeySchema).optional(),
  webhookUrl: z.string().url().nullable().optional(),
  webhookSecret: z.string().min(1).optional(),
  imessageShare: rate.optional(),
  deliveryRate: rate.optional(),
  latencyMs: latencySchema.optional(),
  replies: replySchema.optional(),
  unavailable: z.array(phone).optional(),
  /** Share of `message.status` webhooks actually posted (the rest are lost on the way). */
  statusWebhookRate: rate.optional(),
});

export const twilioAccountSchema = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/),
  authToken: z.string().min(1),
  apiKeys: z.array(z.object({ sid: z.string().regex(/^SK[0-9a-fA-F]{32}$/), secret: z.string() })),
});

/**
 * Carrier faults. `*_before_accept` and the plain HTTP kinds refuse the send (nothing is created);
 * `*_after_accept` kinds create the message as usual and then misanswer.
 */
export const FAULT_KINDS = [
  'http_429',
  'http_500',
  'http_503',
  'http_500_after_accept',
  'hang_before_accept',
  'hang_after_accept',
  'reset_before_accept',
  'reset_after_accept',
] as const;
export const faultKindSchema = z.enum(FAULT_KINDS);
export type FaultKind = z.infer<typeof faultKindSchema>;

export const faultRuleSchema = z.object({
  kind: faultKindSchema,
  /** Share of the matching sends it fires on. */
  share: rate.default(1),
  /** Sender numbers it applies to (Twilio `From`, the Blooio line used); all when absent. */
  numbers: z.array(phone).optional(),
  /** Fires at most this many times (counted from when its list was set). */
  limit: z.number().int().nonnegative().optional(),
});
export type FaultRule = z.output<typeof faultRuleSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

/** Each list given replaces that carrier's rules; `[]` clears them. */
export const faultsSchema = z.object({
  twilio: z.array(faultRuleSchema).optional(),
  blooio: z.array(faultRuleSchema).optional(),
});
export type FaultsInput = z.input<typeof faultsSchema>;

export const configureSchema = z.object({
  seed: z.union([z.string(), z.number()]).transform(String).optional(),
  inboundUrl: z.string().url().nullable().optional(),
  twilio: twilioAccountSchema.partial().optional(),
  numbers: z.array(numberSchema).optional(),
  /** With numbers: drop the numbers not listed instead of keeping them. */
  replaceNumbers: z.boolean().optional(),
  recipients: z.array(recipientSchema).optional(),
  replies: replySchema.optional(),
  blooio: blooioSchema.optional(),
  callbacks: z
    .object({
      concurrency: z.number().int().positive().optional(),
      retries: z.number().int().nonnegative().optional(),
    })
    .optional(),
  faults: faultsSchema.optional(),
});
export type ConfigureInput = z.input<typeof configureSchema>;
export type ConfigureRequest = z.output<typeof configureSchema>;
export type NumberInput = z.input<typeof numberSchema>;

export const ledgerQuerySchema = z.object({
  to: z.string().optional(),
  from: z.string().optional(),
  channel: z.enum(['sms', 'imessage']).optional(),
  since: z.string().optional(),
});
export type LedgerQuery = z.infer<typeof ledgerQuerySchema>;

export const refusalQuerySchema = z.object({
  to: z.string().optional(),
  from: z.string().optional(),
});
export type RefusalQuery = z.infer<typeof refusalQuerySchema>;

export const smsInboundSchema = z.object({
  from: phone,
  to: phone,
  body: z.string(),
});
export type SmsInboundInput = z.infer<typeof smsInboundSchema>;

export const blooioInboundSchema = z.object({
  from: z.string().min(1),
  to: phone,
  text: z.string(),
  protocol: z.enum(['imessage', 'sms', 'rcs']).default('imessage'),
});
export type BlooioInboundInput = z.input<typeof blooioInboundSchema>;

export const availabilitySchema = z.object({
  numbers: z.array(phone).min(1),
  available: z.boolean(),
});
