import {
  SANDBOX_ACCOUNT_SID,
  SANDBOX_AUTH_TOKEN,
  SANDBOX_BLOOIO_API_KEY,
  SANDBOX_BLOOIO_WEBHOOK_SECRET,
} from '../config/env.ts';
import {
  configureSchema,
  replySchema,
  type BlooioKey,
  type ConfigureInput,
  type ConfigureRequest,
  type FaultRule,
  type Latency,
  type NumberBehaviour,
  type RecipientOverride,
  type ReplyBehaviour,
} from './config.ts';

/** The live configuration of one sandbox: accounts, numbers and their behaviour. */
export interface Settings {
  seed: string;
  inboundUrl: string | null;
  accountSid: string;
  authToken: string;
  apiKeys: Map<string, string>;
  numbers: Map<string, NumberBehaviour>;
  recipients: Map<string, RecipientOverride>;
  replies: ReplyBehaviour;
  callbacks: { concurrency: number; retries: number };
  blooio: BlooioSettings;
  faults: FaultSettings;
}

/** Fault rules per carrier, checked in order on every send that would be accepted. */
export interface FaultSettings {
  twilio: FaultRule[];
  blooio: FaultRule[];
}

export interface BlooioSettings {
  keys: Map<string, BlooioKey>;
  webhookUrl: string | null;
  webhookSecret: string;
  imessageShare: number;
  deliveryRate: number;
  latencyMs: Latency;
  replies: ReplyBehaviour;
  unavailable: Set<string>;
  /** Share of status webhooks posted; the status endpoint still answers for every message. */
  statusWebhookRate: number;
}

/** Raised for a configuration the real services refuse (e.g. mixing Blooio and Twilio numbers). */
export class ConfigConflictError extends Error {
  override name = 'ConfigConflictError';
}

export const DEFAULT_BLOOIO_NUMBERS = ['+14155550101', '+14155550102', '+14155550103'];

export function defaultSettings(): Settings {
  return {
    seed: 'tandem',
    inboundUrl: null,
    accountSid: SANDBOX_ACCOUNT_SID,
    authToken: SANDBOX_AUTH_TOKEN,
    apiKeys: new Map(),
    numbers: new Map(),
    recipients: new Map(),
    replies: replySchema.parse({}),
    callbacks: { concurrency: 128, retries: 3 },
    blooio: {
      keys: new Map([
        [
          SANDBOX_BLOOIO_API_KEY,
          { key: SANDBOX_BLOOIO_API_KEY, kind: 'blooio', numbers: [...DEFAULT_BLOOIO_NUMBERS] },
        ],
      ]),
      webhookUrl: null,
      webhookSecret: SANDBOX_BLOOIO_WEBHOOK_SECRET,
      imessageShare: 0.8,
      deliveryRate: 1,
      latencyMs: { min: 20, max: 200 },
      replies: replySchema.parse({}),
      unavailable: new Set(),
      statusWebhookRate: 1,
    },
    faults: { twilio: [], blooio: [] },
  };
}

/** Validates a configuration request; throws the zod error on bad input. */
export function parseConfigure(input: ConfigureInput | unknown): ConfigureRequest {
  return configureSchema.parse(input);
}

/** Applies a configuration request on top of the current settings. */
export function applyConfigure(settings: Settings, request: ConfigureRequest): void {
  if (request.seed !== undefined) settings.seed = request.seed;
  if (request.inboundUrl !== undefined) settings.inboundUrl = request.inboundUrl;
  if (request.twilio?.accountSid !== undefined) settings.accountSid = request.twilio.accountSid;
  if (request.twilio?.authToken !== undefined) settings.authToken = request.twilio.authToken;
  if (request.twilio?.apiKeys !== undefined) {
    settings.apiKeys = new Map(request.twilio.apiKeys.map((key) => [key.sid, key.secret]));
  }
  if (request.numbers !== undefined) {
    if (request.replaceNumbers === true) settings.numbers.clear();
    for (const number of request.numbers) settings.numbers.set(number.phoneNumber, number);
  }
  for (const recipient of request.recipients ?? []) {
    settings.recipients.set(recipient.phoneNumber, recipient);
  }
  if (request.replies !== undefined) settings.replies = request.replies;
  if (request.callbacks !== undefined) {
    settings.callbacks = { ...settings.callbacks, ...request.callbacks };
  }
  if (request.faults?.twilio !== undefined) settings.faults.twilio = request.faults.twilio;
  if (request.faults?.blooio !== undefined) settings.faults.blooio = request.faults.blooio;
  const blooio = request.blooio;
  if (blooio === undefined) return;
  for (const key of blooio.keys ?? []) assignBlooioKey(settings.blooio, key);
  if (blooio.webhookUrl !== undefined) settings.blooio.webhookUrl = blooio.webhookUrl;
  if (blooio.webhookSecret !== undefined) settings.blooio.webhookSecret = blooio.webhookSecret;
  if (blooio.imessageShare !== undefined) settings.blooio.imessageShare = blooio.imessageShare;
  if (blooio.deliveryRate !== undefined) settings.blooio.deliveryRate = blooio.deliveryRate;
  if (blooio.latencyMs !== undefined) settings.blooio.latencyMs = blooio.latencyMs;
  if (blooio.replies !== undefined) settings.blooio.replies = blooio.replies;
  if (blooio.unavailable !== undefined) settings.blooio.unavailable = new Set(blooio.unavailable);
  if (blooio.statusWebhookRate !== undefined)
    settings.blooio.statusWebhookRate = blooio.statusWebhookRate;
}

/**
 * Assigns numbers to a Blooio API key (replacing its list). A key holds Blooio numbers or Twilio
 * numbers, never both; a number belongs to one key only, so it moves here from any other key.
 */
export function assignBlooioKey(blooio: BlooioSettings, key: BlooioKey): void {
  const existing = blooio.keys.get(key.key);
  if (existing !== undefined && existing.numbers.length > 0 && key.numbers.length > 0) {
    if (existing.kind !== key.kind) {
      const owned = existing.kind === 'blooio' ? 'Blooio' : 'Twilio';
      throw new ConfigConflictError(`API key already owns ${owned} numbers`);
    }
  }
  // A number belongs to one key: assigning it here takes it away from any other key.
  for (const [other, config] of blooio.keys) {
    if (other === key.key) continue;
    config.numbers = config.numbers.filter((number) => !key.numbers.includes(number));
  }
  blooio.keys.set(key.key, { ...key, numbers: [...key.numbers] });
}
