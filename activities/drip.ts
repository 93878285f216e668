import { loadCampaignForSending } from '../db/campaigns.ts';
import { materializeDueStep, sendableForStep } from '../db/drip.ts';
import type { BatchOutcome } from '../core/campaign-contracts.ts';
import type { ActivityDeps } from './deps.ts';
import { heartbeat } from './heartbeat.ts';
import { buildSendContext } from './send-context.ts';
import { sendRows } from './send-pipeline.ts';

export interface DripPlan {
  /** False when the campaign is paused, cancelled or not launched: the run sends nothing. */
  active: boolean;
  steps: number[];
}

export function createDripActivities(deps: ActivityDeps) {
  const { db, clock } = deps;
  return {
    async dripPlan(input: { campaignId: string }): Promise<DripPlan> {
      const { campaign, steps } = await loadCampaignForSending(db, input.campaignId);
      const active = campaign.status === 'running' || campaign.status === 'completed';
      return { active, steps: steps.filter((step) => step.step > 0).map((step) => step.step) };
    },

    /** Materializes up to `limit` newly due contacts of a step and sends what is due of it. */
    async sendDripStep(input: {
      campaignId: string;
      step: number;
      limit: number;
    }): Promise<BatchOutcome & { materialized: number }> {
      const context = await buildSendContext(deps, input.campaignId, input.step);
      const { steps } = await loadCampaignForSending(db, input.campaignId);
      const step = steps.find((candidate) => candidate.step === input.step);
      if (step === undefined)
        throw new Error(`Campaign ${input.campaignId} has no step ${input.step}`);
      const materialized = await materializeDueStep(
        db,
        input.campaignId,
        step,
        clock(),
        input.limit,
      );
      heartbeat({ materialized });
      const campaign = { id: input.campaignId, audienceId: context.audienceId };
      const rows = await sendableForStep(db, campaign, input.step, clock(), input.limit);
      return { ...(await sendRows(context, rows)), materialized };
    },
  };
}
