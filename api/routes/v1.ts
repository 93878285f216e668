import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { audienceRoutes } from './audiences.ts';
import { campaignLifecycleRoutes } from './campaign-lifecycle.ts';
import { campaignRoutes } from './campaigns.ts';
import { consentEventRoutes } from './consent-events.ts';
import { contactConsentRoutes } from './contact-consent.ts';
import { contactRoutes } from './contacts.ts';
import { conversationActionRoutes } from './conversation-actions.ts';
import { conversationAnswerRoutes } from './conversation-answers.ts';
import { conversationRoutes } from './conversations.ts';
import { poolRoutes } from './pools.ts';
import { suppressionListRoutes } from './suppression-lists.ts';
import { webhookEndpointRoutes } from './webhook-endpoints.ts';

/** Every authenticated `/v1` route plugin, registered in one place. */
export const v1Routes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  await app.register(audienceRoutes, deps);
  await app.register(campaignRoutes, deps);
  await app.register(campaignLifecycleRoutes, deps);
  await app.register(contactRoutes, deps);
  await app.register(contactConsentRoutes, deps);
  await app.register(consentEventRoutes, deps);
  await app.register(conversationRoutes, deps);
  await app.register(conversationActionRoutes, deps);
  await app.register(conversationAnswerRoutes, deps);
  await app.register(poolRoutes, deps);
  await app.register(suppressionListRoutes, deps);
  await app.register(webhookEndpointRoutes, deps);
};
