export { CampaignWorkflow } from './campaign.ts';
export { ConversationWorkflow } from './conversation.ts';
export { DripWorkflow } from './drip.ts';
export { WebhookDeliveryWorkflow } from './webhook-delivery.ts';
