import { createAgentAnswerActivities } from './agent-answers.ts';
import { createBlooioStatusActivities } from './blooio-status-checks.ts';
import { createCampaignActivities } from './campaign.ts';
import { createConversationActivities } from './conversation.ts';
import { createDripActivities } from './drip.ts';
import type { ActivityDeps } from './deps.ts';
import { createOneOffActivities } from './one-off-sends.ts';
import { createWebhookActivities } from './webhooks.ts';

/** Every activity the worker registers, built from injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createAgentAnswerActivities(deps),
    ...createBlooioStatusActivities(deps),
    ...createCampaignActivities(deps),
    ...createConversationActivities(deps),
    ...createDripActivities(deps),
    ...createOneOffActivities(deps),
    ...createWebhookActivities(deps),
  };
}

export type { ActivityDeps } from './deps.ts';
