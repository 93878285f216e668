import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  IDEMPOTENCY_KEY_MISMATCH,
  idempotencyKeyProblem,
  isStorableAnswer,
} from '../core/idempotency.ts';
import type { Db } from '../db/connect.ts';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  pruneIdempotencyKeys,
  releaseIdempotencyKey,
  type IdempotencyClaim,
} from '../db/idempotency-keys.ts';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `'route'`: the route keeps its own `Idempotency-Key` promise (it is not stored here). */
    idempotency?: 'route';
  }
  interface FastifyRequest {
    idempotencyClaim?: IdempotencyClaim;
  }
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * `Idempotency-Key` on every POST in `app`: the first request with a key claims it and its
 * answer (any status below 500) is stored; a repeat within 24 hours gets that answer again, with
 * `Idempotent-Replayed: true`, and never does the work twice. The same key with another request
 * is a 422; a repeat while the first is still running is a 409 to retry.
 */
export function installIdempotencyKeys(app: FastifyInstance, db: Db): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.config.idempotency === 'route') return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header.join(',') : header;
    const problem = idempotencyKeyProblem(key);
    if (problem !== null) throw new ApiError(400, 'invalid_idempotency_key', problem);
    const claim = { principal: principalOf(request), key };
    const outcome = await claimIdempotencyKey(db, claim, fingerprintOf(request));
    switch (outcome.kind) {
      case 'claimed':
        request.idempotencyClaim = claim;
        return;
      case 'replay':
        return replay(reply, outcome);
      case 'in_progress':
        throw new ApiError(
          409,
          'idempotency_key_in_use',
          'A request with this Idempotency-Key is still being handled; retry after it finishes',
          { retry_after_seconds: outcome.retryAfterSeconds },
        );
      case 'mismatch':
        throw new ApiError(422, 'idempotency_key_reused', IDEMPOTENCY_KEY_MISMATCH);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (claim === undefined) return payload;
    request.idempotencyClaim = undefined;
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload : null;
    if (body === null || !isStorableAnswer(reply.statusCode)) {
      await releaseIdempotencyKey(db, claim);
      return payload;
    }
    const contentType = reply.getHeader('content-type');
    await completeIdempotencyKey(db, claim, {
      statusCode: reply.statusCode,
      contentType: typeof contentType === 'string' ? contentType : null,
      body: body.toString(),
    });
    return payload;
  });

  // A claim held by a request that died without answering: freed so a retry can do the work.
  app.addHook('onResponse', async (request) => {
    const claim = request.idempotencyClaim;
    if (claim !== undefined) await releaseIdempotencyKey(db, claim);
  });

  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      pruneIdempotencyKeys(db).catch((error: unknown) =>
        app.log.warn({ err: error }, 'pruning idempotency keys failed'),
      );
    }, PRUNE_EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}

function replay(
  reply: FastifyReply,
  stored: { statusCode: number; contentType: string | null; body: string },
) {
  return reply
    .status(stored.statusCode)
    .header('Idempotent-Replayed', 'true')
    .type(stored.contentType ?? 'application/json; charset=utf-8')
    .send(stored.body);
}

/** Keys of different callers never meet: the caller is its credential, hashed. */
function principalOf(request: FastifyRequest): string {
  const credential = request.headers.authorization ?? '';
  return createHash('sha256').update(credential).digest('hex').slice(0, 32);
}

/**
 * The request a key stands for: method, URL and body. An upload streams its body (a multipart
 * form, or text/csv handed to the route as the request stream), so it is known by its length
 * and type, without a multipart boundary, which each client draws anew.
 */
function fingerprintOf(request: FastifyRequest): string {
  const hash = createHash('sha256').update(`${request.method} ${request.url}\n`);
  const length = request.headers['content-length'] ?? 'chunked';
  if (request.isMultipart()) {
    hash.update(`multipart ${length}`);
  } else if (request.body instanceof Readable) {
    hash.update(`stream ${request.headers['content-type'] ?? ''} ${length}`);
  } else {
    hash.update(JSON.stringify(request.body ?? null));
  }
  return hash.digest('hex');
}
