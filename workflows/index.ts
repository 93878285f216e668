export { CampaignWorkflow } from './campaign.ts';
