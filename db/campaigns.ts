import type { Db } from './connect.ts';
import type { Campaign, CampaignStatus, CampaignStep, Pool } from './tables.ts';

export interface CampaignForSending {
  campaign: Campaign;
  steps: CampaignStep[];
  smsPool: Pool;
}

export async function loadCampaignForSending(
  db: Db,
  campaignId: string,
): Promise<CampaignForSending> {
  const campaign = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('id', '=', campaignId)
    .executeTakeFirstOrThrow();
  const [steps, smsPool] = await Promise.all([
    db
      .selectFrom('campaign_steps')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('step')
      .execute(),
    db
      .selectFrom('pools')
      .selectAll()
      .where('id', '=', campaign.sms_pool_id)
      .executeTakeFirstOrThrow(),
  ]);
  return { campaign, steps, smsPool };
}

const finished: ReadonlySet<CampaignStatus> = new Set(['completed', 'cancelled', 'failed']);

export async function setCampaignStatus(
  db: Db,
  campaignId: string,
  status: CampaignStatus,
): Promise<void> {
  await db
    .updateTable('campaigns')
    .set({ status, ...(finished.has(status) ? { finished_at: new Date() } : {}) })
    .where('id', '=', campaignId)
    .execute();
}
