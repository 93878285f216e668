import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import type { ApiMetrics } from '../metrics/series.ts';
import { createReplyRecorder } from '../replies.ts';
import type { StatusApplier } from '../status-applier.ts';
import { blooioWebhook } from './webhooks-blooio.ts';
import { twilioAutoReplyStatusWebhook } from './webhooks-twilio-auto-reply.ts';
import { twilioConversationStatusWebhook } from './webhooks-twilio-conversation.ts';
import { twilioInboundWebhook } from './webhooks-twilio-inbound.ts';
import { twilioStatusWebhook } from './webhooks-twilio-status.ts';

/** Carrier webhooks under `/webhooks`: each verifies its signature before touching anything. */
export const webhookRoutes: FastifyPluginAsync<
  ApiDeps & { statusApplier: StatusApplier; metrics: ApiMetrics }
> = async (app, apiDeps) => {
  // One recorder for SMS and iMessage replies alike, so both group-commit together.
  const deps = { ...apiDeps, recordReply: createReplyRecorder(apiDeps.db, apiDeps.config) };
  await app.register(twilioStatusWebhook, deps);
  await app.register(twilioInboundWebhook, deps);
  await app.register(twilioAutoReplyStatusWebhook, deps);
  await app.register(twilioConversationStatusWebhook, deps);
  await app.register(blooioWebhook, deps);
};
