import type { FastifyInstance } from 'fastify';
import { requiredScope, scopeGrants } from '../core/api-keys.ts';
import { rateLimited, type Authenticate } from './auth.ts';
import { ApiError } from './errors.ts';

const MINUTE_MS = 60_000;

/**
 * Who may call the routes of `app` (the `/v1` scope), checked before anything else runs: a
 * valid key, within its per-minute request limit, with a scope that covers the route
 * (core/api-keys.ts). Every answer carries the key's limit and what is left of it.
 */
export function requireApiKey(
  app: FastifyInstance,
  authenticate: Authenticate,
  requestsPerMinute: number,
): void {
  const perKey = app.createRateLimit({
    max: requestsPerMinute,
    timeWindow: MINUTE_MS,
    keyGenerator: (request) => request.apiKey?.id ?? '',
  });
  app.addHook('onRequest', async (request, reply) => {
    await authenticate(request, reply);
    const key = request.apiKey;
    if (key === undefined) throw new ApiError(401, 'unauthorized', 'Invalid API key');
    const limit = await perKey(request);
    if (!limit.isAllowed) {
      void reply.headers({
        'x-ratelimit-limit': String(limit.max),
        'x-ratelimit-remaining': String(limit.remaining),
        'x-ratelimit-reset': String(limit.ttlInSeconds),
      });
      if (limit.isExceeded) {
        throw rateLimited(
          reply,
          limit.ttlInSeconds,
          `API key "${key.name}" made more than ${limit.max} requests this minute`,
        );
      }
    }
    const needed = requiredScope(request.method, request.routeOptions.url ?? request.url);
    if (!scopeGrants(key.scope, needed)) {
      throw new ApiError(
        403,
        'insufficient_scope',
        `API key "${key.name}" has scope ${key.scope}; ${request.method} ${request.routeOptions.url ?? ''} needs ${needed}`,
        { scope: key.scope, required: needed },
      );
    }
  });
}
