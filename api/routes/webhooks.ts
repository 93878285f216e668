import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { twilioStatusWebhook } from './webhooks-twilio-status.ts';

/** Carrier webhooks under `/webhooks`: each verifies its signature before touching anything. */
export const webhookRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  await app.register(twilioStatusWebhook, deps);
};
