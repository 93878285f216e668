import { z } from 'zod';

/** The sandbox's Twilio account, used whenever no real Twilio credentials are configured. */
export const SANDBOX_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const SANDBOX_AUTH_TOKEN = 'sandbox-auth-token-0000000000000000';
export const SANDBOX_BLOOIO_API_KEY = 'blooio-sandbox-key';
export const SANDBOX_BLOOIO_WEBHOOK_SECRET = 'blooio-sandbox-webhook-secret';
/** The bearer key for /v1 when none is set: public, so only for local use. */
export const DEVELOPMENT_API_KEY = 'tandem-dev-key';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().nonnegative();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json`: one JSON object a line; `plain`: readable lines. Unset: json in production, else plain. */
  LOG_FORMAT: z.enum(['json', 'plain']).optional(),

  DATABASE_URL: z.string().url().optional(),
  /** Hot statements as named (prepared) statements; false behind PgBouncer before 1.21 in transaction mode. */
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  EMBEDDED_PG_PORT: port.default(54329),
  DATA_DIR: z.string().default('.data'),

  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('tandem'),
  /** Set when several tandem databases share one Temporal namespace (tests): keeps ids apart. */
  WORKFLOW_ID_SCOPE: z
    .string()
    .regex(/^[\w-]*$/)
    .default(''),
  TEMPORAL_UI_URL: z.string().url().default('http://127.0.0.1:8233'),

  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port.default(3000),
  API_KEY: z.string().min(8).default(DEVELOPMENT_API_KEY),
  PUBLIC_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
  /** Requests a minute each API key may make on /v1 (counted in each API process). */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(6000),
  /** Failed authentications a minute from one client address before it is answered 429. */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(20),
  /** `/docs` and `/docs/json`: public, auth (any valid API key) or off; unset: auth in production, else public. */
  DOCS_ACCESS: z.enum(['public', 'auth', 'off']).optional(),
  /** `/metrics` of the API: public, auth (any valid API key) or off; unset: auth in production, else public. */
  METRICS_ACCESS: z.enum(['public', 'auth', 'off']).optional(),
  /** How long the PostgreSQL-backed series of a scrape are reused by the next scrapes. */
  METRICS_CACHE_SECONDS: seconds.max(300).default(5),
  /** The worker's own `/metrics` server (carrier requests and the Temporal SDK's series); port 0: any free port. */
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  WORKER_METRICS_PORT: port.default(9464),
  /** The built console (web/dist) the API serves at `/`; relative paths are from the repository. */
  CONSOLE_DIR: z.string().min(1).default('web/dist'),

  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/)
    .default(SANDBOX_ACCOUNT_SID),
  TWILIO_AUTH_TOKEN: z.string().min(1).default(SANDBOX_AUTH_TOKEN),
  TWILIO_API_KEY_SID: z
    .string()
    .regex(/^SK[0-9a-fA-F]{32}$/)
    .optional(),
  TWILIO_API_KEY_SECRET: z.string().optional(),
  /** Where the twilio SDK sends requests; unset means the real Twilio when real credentials are set, else the sandbox. */
  TWILIO_BASE_URL: z.string().url().optional(),

  BLOOIO_API_KEY: z.string().min(1).default(SANDBOX_BLOOIO_API_KEY),
  BLOOIO_WEBHOOK_SECRET: z.string().min(1).default(SANDBOX_BLOOIO_WEBHOOK_SECRET),
  BLOOIO_BASE_URL: z.string().url().optional(),

  /** Replies: HELP answer when the campaign has no help text of its own. */
  DEFAULT_HELP_TEXT: z
    .string()
    .min(1)
    .default('tandem: msg frequency varies. Msg & data rates may apply. Reply STOP to opt out.'),
  /** Sent once for an opt-out the carrier does not confirm itself ("stop texting me"). */
  OPT_OUT_CONFIRMATION: z
    .string()
    .min(1)
    .default("You're unsubscribed and will get no more messages from us. Reply START to resume."),
  /** Sent by SMS when someone opted out opts back in with words the carrier does not confirm. */
  OPT_IN_CONFIRMATION: z.string().min(1).default("You're subscribed again. Reply STOP to opt out."),
  /** Hand-off: `imessage` writes first from the sticky Blooio number; `text_us` answers by SMS. */
  HANDOFF_MODE: z.enum(['imessage', 'text_us']).default('imessage'),
  FOLLOWUP_TEXT: z
    .string()
    .min(1)
    .default('Hi {{first_name|there}}, thanks for your reply! What would you like to know?'),
  TEXT_US_TEXT: z
    .string()
    .min(1)
    .default('Thanks! Text us at {{number}} to chat with us directly.'),
  /** Blooio sends refused with 503 are retried with exponential back-off from this delay. */
  BLOOIO_RETRY_INITIAL_SECONDS: seconds.default(2),
  BLOOIO_RETRY_MAX_ATTEMPTS: z.coerce.number().int().positive().default(8),
  /** A conversation workflow with nothing to do for this long completes (a new reply restarts it). */
  CONVERSATION_IDLE_SECONDS: seconds.default(7 * 86_400),
  /** Webhook deliveries: each POST's time limit, then capped exponential back-off per event. */
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().positive().max(60).default(10),
  WEBHOOK_RETRY_INITIAL_SECONDS: z.coerce.number().positive().default(5),
  WEBHOOK_RETRY_MAX_SECONDS: z.coerce.number().positive().default(600),
  /** Attempts per event before its delivery is given up (shown on the delivery). */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().positive().default(15),

  SANDBOX_HOST: z.string().default('127.0.0.1'),
  SANDBOX_PORT: port.default(4010),

  DEFAULT_COUNTRY: z.string().length(2).default('US'),
  /** Time zone assumed for a recipient whose number does not tell one. */
  DEFAULT_TIME_ZONE: z.string().default('America/New_York'),
  SEND_BATCH_SIZE: z.coerce.number().int().positive().default(200),
  /** Concurrent sendBatch activities per campaign: enough reserved slot time queued to hide each batch's overhead. */
  SEND_WINDOW: z.coerce.number().int().positive().default(8),
  STATUS_TIMEOUT_SECONDS: seconds.default(600),
  /**
   * Carrier HTTP requests give up after this long, well inside the send activity's
   * heartbeat timeout (10 s), so a hung request never outlives the attempt that made it.
   */
  CARRIER_TIMEOUT_SECONDS: z.coerce.number().positive().max(8).default(5),
  /** After a lost answer (timeout, reset, 5xx), wait this long, then ask the carrier whether it created the message. */
  UNKNOWN_RESOLVE_SECONDS: seconds.default(10),
  /**
   * Share of every number's MPS kept free to absorb jitter: slots are reserved at
   * MPS × (1 − headroom), and the pacer (activities/number-pacer.ts) spends it on stalls.
   */
  RATE_LIMIT_HEADROOM: z.coerce.number().min(0).max(0.5).default(0.07),
  CAMPAIGN_CHECK_SECONDS: seconds.default(5),
  /** A pool's one-off sender workflow with nothing outstanding ends after this long without a send. */
  ONE_OFF_IDLE_SECONDS: seconds.default(600),
  /** A running campaign that sent or ended no message for this long, with some left, says it is stalled. */
  CAMPAIGN_STALL_SECONDS: seconds.default(300),
  DEMO_CONTACTS: z.coerce.number().int().positive().default(200),
  DEMO_ONCE: bool.default(false),

  /** Sender health: delivery rate below which a number cools down (0..1). */
  HEALTH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.8),
  /** Sender-attributable outcomes needed before an active number is judged. */
  HEALTH_MIN_SAMPLES: z.coerce.number().int().positive().default(20),
  /** Most recent sender-attributable outcomes the rolling rate looks at. */
  HEALTH_WINDOW: z.coerce.number().int().positive().default(100),
  /** Oldest outcome (seconds) the rolling rate looks at. */
  HEALTH_WINDOW_SECONDS: seconds.default(86_400),
  HEALTH_COOLDOWN_SECONDS: seconds.default(900),
  /** Probation ends after this long without failing, or after HEALTH_PROBATION_GOOD deliveries. */
  HEALTH_PROBATION_SECONDS: seconds.default(3_600),
  HEALTH_PROBATION_GOOD: z.coerce.number().int().positive().default(20),
  HEALTH_PROBATION_MIN_SAMPLES: z.coerce.number().int().positive().default(5),
});

export type Env = z.infer<typeof schema>;

/** Every variable tandem reads (`.env.example` lists each one; a test keeps them in step). */
export const CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);

export type DocsAccess = NonNullable<Env['DOCS_ACCESS']>;
export type MetricsAccess = NonNullable<Env['METRICS_ACCESS']>;
export type LogFormat = NonNullable<Env['LOG_FORMAT']>;

export interface Config extends Omit<Env, 'DOCS_ACCESS' | 'METRICS_ACCESS' | 'LOG_FORMAT'> {
  readonly DOCS_ACCESS: DocsAccess;
  readonly METRICS_ACCESS: MetricsAccess;
  readonly LOG_FORMAT: LogFormat;
  /** True when no real Twilio credentials are set: the sandbox stands in for Twilio and Blooio. */
  readonly sandbox: boolean;
  readonly twilioBaseUrl: string | undefined;
  readonly blooioBaseUrl: string;
  readonly sandboxUrl: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; fails with the names of the variables that are wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const values = parsed.data;
  if (values.NODE_ENV === 'production') {
    const problems = productionProblems(cleaned);
    if (problems.length > 0) {
      throw new ConfigError(`Invalid configuration for production:\n  ${problems.join('\n  ')}`);
    }
  }
  const sandbox = values.TWILIO_ACCOUNT_SID === SANDBOX_ACCOUNT_SID;
  const sandboxUrl = `http://${values.SANDBOX_HOST}:${values.SANDBOX_PORT}`;
  const production = values.NODE_ENV === 'production';
  return Object.freeze({
    ...values,
    DOCS_ACCESS: values.DOCS_ACCESS ?? (production ? 'auth' : 'public'),
    METRICS_ACCESS: values.METRICS_ACCESS ?? (production ? 'auth' : 'public'),
    LOG_FORMAT: values.LOG_FORMAT ?? (production ? 'json' : 'plain'),
    sandbox,
    sandboxUrl,
    twilioBaseUrl: values.TWILIO_BASE_URL ?? (sandbox ? sandboxUrl : undefined),
    blooioBaseUrl:
      values.BLOOIO_BASE_URL ??
      (values.BLOOIO_API_KEY === SANDBOX_BLOOIO_API_KEY
        ? `${sandboxUrl}/v2/api`
        : 'https://backend.blooio.com/v2/api'),
  });
}

/**
 * The secrets a deployment must set itself, each with the public value it must not be: the
 * sandbox's credentials and the development key are in this repository, so with them anyone
 * could call /v1 or forge a carrier's signed webhook.
 */
const PRODUCTION_SECRETS: readonly { name: keyof Env; publicValue: string; why: string }[] = [
  { name: 'API_KEY', publicValue: DEVELOPMENT_API_KEY, why: 'the bearer key for /v1' },
  {
    name: 'TWILIO_ACCOUNT_SID',
    publicValue: SANDBOX_ACCOUNT_SID,
    why: 'the Twilio account that sends',
  },
  {
    name: 'TWILIO_AUTH_TOKEN',
    publicValue: SANDBOX_AUTH_TOKEN,
    why: "it verifies Twilio's webhook signatures, even when an API key sends",
  },
  {
    name: 'BLOOIO_API_KEY',
    publicValue: SANDBOX_BLOOIO_API_KEY,
    why: 'it authenticates to Blooio',
  },
  {
    name: 'BLOOIO_WEBHOOK_SECRET',
    publicValue: SANDBOX_BLOOIO_WEBHOOK_SECRET,
    why: "it verifies Blooio's webhook signatures",
  },
];

/** What keeps the (already valid) environment from running in production; names, never values. */
function productionProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  for (const { name, publicValue, why } of PRODUCTION_SECRETS) {
    const value = env[name];
    if (value === undefined) problems.push(`${name}: must be set in production (${why})`);
    else if (value === publicValue) {
      problems.push(`${name}: is the public sandbox/development value; set a secret of your own`);
    }
  }
  const keyPair = [env.TWILIO_API_KEY_SID, env.TWILIO_API_KEY_SECRET];
  if (keyPair.some((part) => part === undefined) && keyPair.some((part) => part !== undefined)) {
    const missing =
      env.TWILIO_API_KEY_SID === undefined ? 'TWILIO_API_KEY_SID' : 'TWILIO_API_KEY_SECRET';
    problems.push(`${missing}: must be set with its pair (an API key is a SID and a secret)`);
  }
  return problems;
}
