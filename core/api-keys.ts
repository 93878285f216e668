import { createHash } from 'node:crypto';

/**
 * API keys and their scopes. A key is `tdm_` and 32 random bytes (base64url): unguessable, so a
 * plain SHA-256 of it is what is stored and looked up (no slow hash needed, and one index finds
 * it). Scopes are ordered: `admin` can do everything `send` can, which can do everything `read`
 * can. The environment's API_KEY, stored the same way, is the exception in shape: it may be any
 * string of 8 characters or more.
 */
export const API_KEY_SCOPES = ['read', 'send', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const GENERATED_KEY_PREFIX = 'tdm_';
const GENERATED_KEY = /^tdm_[A-Za-z0-9_-]{43}$/;
/** Characters of a key kept in clear to tell keys apart in a list. */
export const KEY_PREFIX_LENGTH = 12;

/** What every scope may do, in words (README, OpenAPI and error messages say the same). */
export const SCOPE_DESCRIPTIONS: Readonly<Record<ApiKeyScope, string>> = {
  read: 'every GET (lists, details, exports), except the API keys',
  send: 'read, and running campaigns and talking to people: upload audiences, create, change, preview, launch, pause, resume, cancel and archive campaigns, one-off messages, conversation answers and actions, opting a contact out',
  admin:
    'everything: API keys, pools and numbers, suppression lists, webhook endpoints, opting a contact back in, deleting audiences',
};

/** Routes a `send` key may call beyond GETs, as `METHOD /v1/url` with Fastify's `:params`. */
export const SEND_ROUTES: ReadonlySet<string> = new Set([
  'POST /v1/audiences',
  'POST /v1/campaigns',
  'PATCH /v1/campaigns/:id',
  'POST /v1/campaigns/:id/preview',
  'POST /v1/campaigns/:id/launch',
  'POST /v1/campaigns/:id/pause',
  'POST /v1/campaigns/:id/resume',
  'POST /v1/campaigns/:id/cancel',
  'POST /v1/campaigns/:id/archive',
  'POST /v1/campaigns/:id/unarchive',
  'POST /v1/messages',
  'POST /v1/conversations/:contact/messages',
  'POST /v1/conversations/:contact/read',
  'POST /v1/conversations/:contact/assign',
  'POST /v1/conversations/:contact/close',
  'POST /v1/conversations/:contact/reopen',
  'POST /v1/contacts/:contact/opt-out',
]);

/** GETs that show what only an admin may see. */
const ADMIN_READS: ReadonlySet<string> = new Set(['GET /v1/api-keys']);

/**
 * The scope a route needs: a GET needs `read`, a listed sending route `send`, and everything
 * else `admin`, so a route nobody thought about is closed to all but admins.
 */
export function requiredScope(method: string, routeUrl: string): ApiKeyScope {
  const route = `${method.toUpperCase()} ${routeUrl}`;
  if (ADMIN_READS.has(route)) return 'admin';
  if (method === 'GET' || method === 'HEAD') return 'read';
  return SEND_ROUTES.has(route) ? 'send' : 'admin';
}

export function scopeGrants(held: ApiKeyScope, needed: ApiKeyScope): boolean {
  return API_KEY_SCOPES.indexOf(held) >= API_KEY_SCOPES.indexOf(needed);
}

/** A key of generated shape from 32 random bytes (the caller draws them). */
export function apiKeyFromBytes(random: Uint8Array): string {
  if (random.length !== 32) throw new RangeError('an API key is made of 32 random bytes');
  return `${GENERATED_KEY_PREFIX}${Buffer.from(random).toString('base64url')}`;
}

/** Whether a key has the shape of one tandem generated (the environment key may not). */
export function isGeneratedKey(key: string): boolean {
  return GENERATED_KEY.test(key);
}

export function apiKeyHash(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function apiKeyPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX_LENGTH);
}

/** How often a key's last use is written: a busy key costs one UPDATE a minute, not one a request. */
export const LAST_USED_RESOLUTION_SECONDS = 60;

/** Whether a key last recorded as used at `lastUsedAt` should be recorded again at `at`. */
export function lastUseIsStale(lastUsedAt: Date | null, at: Date): boolean {
  return (
    lastUsedAt === null ||
    at.getTime() - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_SECONDS * 1000
  );
}
