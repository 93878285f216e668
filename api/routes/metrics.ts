import type { FastifyInstance } from 'fastify';
import type { MetricsAccess } from '../../config/env.ts';
import type { Authenticate } from '../auth.ts';
import type { ApiMetrics } from '../metrics/series.ts';
import type { MetricsSnapshot } from '../metrics/snapshot.ts';

/**
 * `GET /metrics` in Prometheus' text format, outside `/v1` (a scraper is no API client: no
 * rate limit, no idempotency). `auth` asks for any valid API key (`Authorization: Bearer`,
 * Prometheus' `authorization` scrape setting); `off` leaves the route out.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  options: {
    access: MetricsAccess;
    authenticate: Authenticate;
    metrics: ApiMetrics;
    snapshot: () => Promise<MetricsSnapshot>;
  },
): void {
  if (options.access === 'off') return;
  const { metrics, snapshot } = options;
  app.get(
    '/metrics',
    {
      schema: { hide: true },
      ...(options.access === 'auth' ? { onRequest: options.authenticate } : {}),
    },
    async (_request, reply) => {
      metrics.show(await snapshot());
      return reply
        .header('content-type', metrics.registry.contentType)
        .header('cache-control', 'no-store')
        .send(await metrics.registry.metrics());
    },
  );
}
