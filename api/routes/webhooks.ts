import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import type { StatusApplier } from '../status-applier.ts';
import { blooioWebhook } from './webhooks-blooio.ts';
import { twilioInboundWebhook } from './webhooks-twilio-inbound.ts';
import { twilioStatusWebhook } from './webhooks-twilio-status.ts';

/** Carrier webhooks under `/webhooks`: each verifies its signature before touching anything. */
export type WebhookDeps = ApiDeps & { statusApplier: StatusApplier };

export const webhookRoutes: FastifyPluginAsync<WebhookDeps> = async (app, deps) => {
  await app.register(twilioStatusWebhook, deps);
  await app.register(twilioInboundWebhook, deps);
  await app.register(blooioWebhook, deps);
};
