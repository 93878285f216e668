import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiKeyHash, isGeneratedKey, lastUseIsStale, type ApiKeyScope } from '../core/api-keys.ts';
import { RecentSet } from '../core/recent-set.ts';
import { bootstrapAdminKey, findApiKeyByHash, touchApiKey } from '../db/api-keys.ts';
import type { Db } from '../db/connect.ts';
import { ApiError } from './errors.ts';

/** The key a request was authenticated with: its name is the actor of the changes it makes. */
export interface AuthenticatedKey {
  id: string;
  name: string;
  scope: ApiKeyScope;
}

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: AuthenticatedKey;
  }
}

export interface AuthOptions {
  db: Db;
  /** The environment's API_KEY: the admin key named `bootstrap` of a database without one. */
  bootstrapKey: string;
  /** Failed authentications an address may make per minute before it is answered 429. */
  failuresPerMinute: number;
}

export type Authenticate = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

const MINUTE_MS = 60_000;

export function rateLimited(reply: FastifyReply, retryAfterSeconds: number, message: string) {
  const seconds = Math.max(1, retryAfterSeconds);
  void reply.header('retry-after', String(seconds));
  return new ApiError(429, 'rate_limited', `${message}; retry after ${seconds} s`, {
    retry_after_seconds: seconds,
  });
}

/** Generated keys that authenticated lately in this process: how many, and for how long. */
const RECENT_KEYS = 10_000;
const RECENT_KEY_MS = 15 * MINUTE_MS;

/**
 * Bearer-key authentication against the `api_keys` table. Each request looks its key up by
 * hash (one index probe), so a revoked key is refused from the next request on, in every
 * process. Failures are counted per client address (@fastify/rate-limit's store): past
 * `failuresPerMinute` the address is answered 429 without any lookup, so a flood of wrong keys
 * never reaches the database. One exception keeps a team behind the same address as a
 * key-guesser working: a generated key that authenticated in this process within 15 minutes
 * is still looked up (and so still refused at once if revoked meanwhile). Only generated keys
 * qualify: 256 random bits cannot be guessed, so the exception tells a guesser nothing, where
 * the environment key may be short. A key that is neither generated-shaped nor the environment
 * key cannot be in the table and is refused without a query. Needs @fastify/rate-limit
 * registered on `app`.
 */
export function createAuthenticator(app: FastifyInstance, options: AuthOptions): Authenticate {
  const { db, bootstrapKey } = options;
  const bootstrapHash = apiKeyHash(bootstrapKey);
  const failures = app.createRateLimit({
    max: options.failuresPerMinute,
    timeWindow: MINUTE_MS,
    // A request whose client hung up before it was read has no address left (request.ip is
    // undefined), which the plugin's default key would fail on.
    keyGenerator: (request) => request.ip ?? 'gone',
  });
  const recentlyValid = new RecentSet(RECENT_KEYS, RECENT_KEY_MS);
  let bootstrapped: Promise<void> | undefined;
  const ensureBootstrapKey = (request: FastifyRequest) => {
    bootstrapped ??= bootstrapAdminKey(db, {
      id: newKeyId(),
      keyHash: bootstrapHash,
      prefix: 'env:API_KEY',
    }).then(
      (inserted) => {
        if (inserted) request.log.info('API_KEY became the admin API key named "bootstrap"');
      },
      (error: unknown) => {
        bootstrapped = undefined;
        throw error;
      },
    );
    return bootstrapped;
  };

  const refuse = async (request: FastifyRequest, reply: FastifyReply, message: string) => {
    const counted = await failures(request);
    if (!counted.isAllowed && counted.isExceeded) {
      throw rateLimited(reply, counted.ttlInSeconds, 'Too many failed authentications');
    }
    throw new ApiError(401, 'unauthorized', message);
  };

  return async (request, reply) => {
    const key = bearerKey(request);
    const hash = key === undefined ? undefined : apiKeyHash(key);
    const state = await failures(request, { increment: false });
    const blocked = !state.isAllowed && state.isExceeded;
    if (blocked && (hash === undefined || !recentlyValid.has(hash.toString('hex'), Date.now()))) {
      throw rateLimited(reply, state.ttlInSeconds, 'Too many failed authentications');
    }
    if (key === undefined || hash === undefined) {
      return refuse(request, reply, 'Missing Authorization: Bearer <API key> header');
    }
    const isBootstrapKey = timingSafeEqual(hash, bootstrapHash);
    if (!isGeneratedKey(key) && !isBootstrapKey) return refuse(request, reply, 'Invalid API key');
    if (isBootstrapKey) await ensureBootstrapKey(request);
    const found = await findApiKeyByHash(db, hash);
    if (found === undefined) return refuse(request, reply, 'Invalid API key');
    if (found.revoked_at !== null) return refuse(request, reply, 'This API key was revoked');
    const now = new Date();
    if (lastUseIsStale(found.last_used_at, now)) await touchApiKey(db, found.id, now);
    if (isGeneratedKey(key)) recentlyValid.add(hash.toString('hex'), now.getTime());
    request.apiKey = { id: found.id, name: found.name, scope: found.scope };
  };
}

function bearerKey(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
  const key = match?.[1]?.trim();
  return key === undefined || key === '' ? undefined : key;
}

export function newKeyId(): string {
  return `key_${randomBytes(12).toString('hex')}`;
}
