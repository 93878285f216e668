export { CampaignWorkflow } from './campaign.ts';
export { ConversationWorkflow } from './conversation.ts';
export { DripWorkflow } from './drip.ts';
export { OneOffSendWorkflow } from './one-off-sends.ts';
export { WebhookDeliveryWorkflow } from './webhook-delivery.ts';
