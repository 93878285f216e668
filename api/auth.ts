import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.ts';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Bearer API-key auth for every route registered inside `app` (the `/v1` scope). */
export function requireApiKey(app: FastifyInstance, apiKey: string): void {
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (match?.[1] === undefined) {
      throw new ApiError(401, 'unauthorized', 'Missing Authorization: Bearer <API key> header');
    }
    if (!sameSecret(match[1].trim(), apiKey)) {
      throw new ApiError(401, 'unauthorized', 'Invalid API key');
    }
  });
}
