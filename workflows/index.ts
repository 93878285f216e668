export { CampaignWorkflow } from './campaign.ts';
export { ConversationWorkflow } from './conversation.ts';
