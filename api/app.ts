import path from 'node:path';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { createAuthenticator } from './auth.ts';
import { loggerOptions, type LoggerSettings } from './logging.ts';
import { requireApiKey } from './v1-access.ts';
import { registerConsole } from './console.ts';
import { installIdempotencyKeys } from './idempotency.ts';
import { limitJsonDepth } from './json-depth.ts';
import type { ApiDeps } from './deps.ts';
import { installErrorHandler } from './errors.ts';
import { clientErrorHandler, frameworkErrors } from './framework-errors.ts';
import { openApiTransform } from './openapi.ts';
import { withOperationExamples } from './openapi-examples/apply.ts';
import { startStatusApplier } from './status-applier.ts';
import { healthSettings } from '../db/health-settings.ts';
import { healthRoutes } from './routes/health.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { createApiMetrics } from './metrics/series.ts';
import { cachedSnapshot } from './metrics/snapshot.ts';
import { v1Routes } from './routes/v1.ts';
import { webhookRoutes } from './routes/webhooks.ts';

export interface AppOptions {
  logger?: boolean | LoggerSettings;
}

export async function buildApp(deps: ApiDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: 1024 * 1024,
    frameworkErrors,
    clientErrorHandler,
    // Secrets never reach the logs: see logging.ts.
    logger: options.logger ? loggerOptions(toLoggerSettings(options.logger)) : false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: 2 * 1024 * 1024 * 1024, files: 1 } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'tandem',
        version: '0.1.0',
        description: 'Hybrid SMS + iMessage outreach campaigns',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An API key (`tdm_…`, made with POST /v1/api-keys, or the bootstrap API_KEY) with a scope of read, send or admin; each operation says which it needs',
          },
        },
      },
    },
    transform: openApiTransform,
    transformObject: (documents) =>
      'openapiObject' in documents
        ? withOperationExamples(documents.openapiObject as Record<string, unknown>)
        : documents.swaggerObject,
  });
  // Limits are applied where the API asks (v1-access.ts, auth.ts), never to webhooks or /healthz.
  await app.register(rateLimit, { global: false });
  const authenticate = createAuthenticator(app, {
    db: deps.db,
    bootstrapKey: deps.config.API_KEY,
    failuresPerMinute: deps.config.AUTH_FAILURES_PER_MINUTE,
  });
  if (deps.config.DOCS_ACCESS !== 'off') {
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      ...(deps.config.DOCS_ACCESS === 'auth' ? { uiHooks: { onRequest: authenticate } } : {}),
    });
  }

  await app.register(healthRoutes, deps);
  const metrics = createApiMetrics();
  registerMetricsRoute(app, {
    access: deps.config.METRICS_ACCESS,
    authenticate,
    metrics,
    snapshot: cachedSnapshot(deps.db, {
      ttlMs: deps.config.METRICS_CACHE_SECONDS * 1000,
      stallMs: deps.config.CAMPAIGN_STALL_SECONDS * 1000,
    }),
  });
  await registerConsole(app, path.resolve(import.meta.dirname, '..', deps.config.CONSOLE_DIR));
  const statusApplier = startStatusApplier(deps.db, {
    health: healthSettings(deps.config),
    log: (error) => app.log.warn({ err: error }, 'applying status events failed'),
    onApplied: metrics.statusLag,
  });
  app.addHook('onClose', () => statusApplier.stop());
  await app.register(
    async (webhooks) => webhooks.register(webhookRoutes, { ...deps, statusApplier, metrics }),
    {
      prefix: '/webhooks',
    },
  );
  await app.register(
    async (v1) => {
      requireApiKey(v1, authenticate, deps.config.API_RATE_LIMIT_PER_MINUTE);
      limitJsonDepth(v1);
      installIdempotencyKeys(v1, deps.db);
      await v1.register(v1Routes, deps);
    },
    { prefix: '/v1' },
  );
  return app;
}

function toLoggerSettings(logger: true | LoggerSettings): LoggerSettings {
  return logger === true ? { level: 'info' } : logger;
}
