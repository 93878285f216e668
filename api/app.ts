import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { requireApiKey } from './auth.ts';
import type { ApiDeps } from './deps.ts';
import { installErrorHandler } from './errors.ts';
import { openApiTransform } from './openapi.ts';
import { startStatusApplier } from './status-applier.ts';
import { healthSettings } from '../db/health-settings.ts';
import { healthRoutes } from './routes/health.ts';
import { v1Routes } from './routes/v1.ts';
import { webhookRoutes } from './routes/webhooks.ts';

export interface AppOptions {
  logger?: boolean | { level: string };
}

export async function buildApp(deps: ApiDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    // Secrets never reach the logs.
    ...(options.logger
      ? { logger: { ...toLoggerOptions(options.logger), redact: ['req.headers.authorization'] } }
      : {}),
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
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: openApiTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes, deps);
  const statusApplier = startStatusApplier(deps.db, healthSettings(deps.config), (error) =>
    app.log.warn({ err: error }, 'applying status events failed'),
  );
  app.addHook('onClose', () => statusApplier.stop());
  await app.register(
    async (webhooks) => webhooks.register(webhookRoutes, { ...deps, statusApplier }),
    {
      prefix: '/webhooks',
    },
  );
  await app.register(
    async (v1) => {
      requireApiKey(v1, deps.config.API_KEY);
      await v1.register(v1Routes, deps);
    },
    { prefix: '/v1' },
  );
  return app;
}

function toLoggerOptions(logger: true | { level: string }): { level: string } {
  return logger === true ? { level: 'info' } : logger;
}
