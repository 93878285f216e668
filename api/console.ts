/**
 * The console (web/, built into web/dist) served at `/` by the API itself.
 *
 * Hashed assets (`/assets/*-<hash>.js|css`) never change under their name, so browsers keep
 * them a year; `index.html` names the current ones, so it is revalidated on every load. Client
 * routes (`/campaigns/12`) answer with index.html; `/v1`, `/webhooks`, `/docs` and `/healthz`
 * keep their own 404s because only the console's own prefixes fall back. Every console response
 * carries a CSP without inline scripts and forbids framing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Paths the console's router owns (web/src/routes.ts): each answers with index.html. */
export const CONSOLE_ROUTES = ['campaigns', 'audiences', 'pools', 'inbox'] as const;

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';

function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CONSOLE_CSP);
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
}

export async function registerConsole(app: FastifyInstance, dir: string): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      securityHeaders(reply);
      return payload;
    });
    if (!existsSync(path.join(dir, 'index.html'))) {
      // Say what to do instead of a bare 404: the API runs, the console was not built.
      scope.get('/', { schema: { hide: true } }, async (_request, reply) =>
        reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send(
            `The console is not built (no ${dir}/index.html). Run \`npm run setup\` (or \`npm run stack\`), which builds web/ into web/dist, then reload.\nThe API itself is at /v1 (docs at /docs).\n`,
          ),
      );
      return;
    }
    await scope.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      index: false,
      // One route per built file, listed at start: a missing file is the API's JSON 404.
      wildcard: false,
      cacheControl: false,
      setHeaders: (reply, filePath) => {
        const hashed = filePath.includes(`${path.sep}assets${path.sep}`);
        reply.header('cache-control', hashed ? IMMUTABLE : 'no-cache');
      },
    });
    const sendIndex = (_request: unknown, reply: FastifyReply) => reply.sendFile('index.html');
    scope.get('/', { schema: { hide: true } }, sendIndex);
    for (const route of CONSOLE_ROUTES) {
      scope.get(`/${route}`, { schema: { hide: true } }, sendIndex);
      scope.get(`/${route}/*`, { schema: { hide: true } }, sendIndex);
    }
  });
}
