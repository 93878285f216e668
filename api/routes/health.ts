import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../deps.ts';

const check = z.object({ ok: z.boolean(), error: z.string().optional(), ms: z.number() });
const health = z.object({ ok: z.boolean(), postgres: check, temporal: check });

async function timed(probe: () => Promise<unknown>): Promise<z.infer<typeof check>> {
  const started = performance.now();
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('timed out after 2 s')), 2_000).unref(),
      ),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      ms: Math.round(performance.now() - started),
    };
  }
}

export const healthRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, temporal }) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness of the API and its PostgreSQL and Temporal',
        response: { 200: health, 503: health },
      },
    },
    async (_request, reply) => {
      const [postgres, temporalCheck] = await Promise.all([
        timed(() => sql`SELECT 1`.execute(db)),
        timed(() => temporal.connection.workflowService.getSystemInfo({})),
      ]);
      const ok = postgres.ok && temporalCheck.ok;
      return reply.status(ok ? 200 : 503).send({ ok, postgres, temporal: temporalCheck });
    },
  );
};
