import { Context } from '@temporalio/activity';
import { ScheduleNotFoundError } from '@temporalio/client';
import { loadCampaignForSending } from '../db/campaigns.ts';
import { dripCanFire, materializeDueStep, sendableForStep } from '../db/drip.ts';
import { dripScheduleId, emptyOutcome, type BatchOutcome } from '../core/campaign-contracts.ts';
import type { CampaignStatus } from '../core/campaign-status.ts';
import type { ActivityDeps } from './deps.ts';
import { heartbeat } from './heartbeat.ts';
import { buildSendContext } from './send-context.ts';
import { sendRows } from './send-pipeline.ts';

export interface DripPlan {
  /** False when the campaign is paused, cancelled or not launched: the run sends nothing. */
  active: boolean;
  steps: number[];
}

/** Drip runs send for these; `completed` for campaigns finished before `waiting_for_drip` existed. */
const DRIP_ACTIVE: ReadonlySet<CampaignStatus> = new Set([
  'running',
  'waiting_for_drip',
  'completed',
]);

export function createDripActivities(deps: ActivityDeps) {
  const { db, clock } = deps;
  return {
    async dripPlan(input: { campaignId: string }): Promise<DripPlan> {
      const { campaign, steps } = await loadCampaignForSending(db, input.campaignId);
      const active = DRIP_ACTIVE.has(campaign.status);
      return { active, steps: steps.filter((step) => step.step > 0).map((step) => step.step) };
    },

    /** Materializes up to `limit` newly due contacts of a step and sends what is due of it. */
    async sendDripStep(input: {
      campaignId: string;
      step: number;
      limit: number;
    }): Promise<BatchOutcome & { materialized: number }> {
      const { campaign, steps } = await loadCampaignForSending(db, input.campaignId);
      // Paused or cancelled since the run's plan: nothing new, so a cancellation stays final.
      if (!DRIP_ACTIVE.has(campaign.status)) return { ...emptyOutcome(), materialized: 0 };
      const step = steps.find((candidate) => candidate.step === input.step);
      if (step === undefined)
        throw new Error(`Campaign ${input.campaignId} has no step ${input.step}`);
      const context = await buildSendContext(deps, input.campaignId, input.step);
      const materialized = await materializeDueStep(
        db,
        input.campaignId,
        step,
        clock(),
        input.limit,
      );
      heartbeat({ materialized });
      const audience = { id: input.campaignId, audienceId: context.audienceId };
      const rows = await sendableForStep(db, audience, input.step, clock(), input.limit);
      return { ...(await sendRows(context, rows)), materialized };
    },

    /** Can a drip step still fire for anyone (see `dripCanFire`)? */
    async dripOutlook(input: { campaignId: string }): Promise<{ canFire: boolean }> {
      const { steps } = await loadCampaignForSending(db, input.campaignId);
      return { canFire: await dripCanFire(db, input.campaignId, steps, clock()) };
    },

    /** Ends the campaign's drip Schedule (deleted: no step can fire any more). */
    async endDripSchedule(input: { campaignId: string }): Promise<void> {
      try {
        await Context.current()
          .client.schedule.getHandle(dripScheduleId(input.campaignId))
          .delete();
      } catch (error) {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      }
    },
  };
}
