import {
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.ts';
import {
  addOutcome,
  campaignWorkflowId,
  emptyOutcome,
  type BatchOutcome,
} from '../core/campaign-contracts.ts';
import { dripRanSignal } from './campaign.ts';

/**
 * Runs carry the `CampaignId` search attribute (was: none when started by a Schedule created
 * before it set one), and report to their campaign when they finish (was: nothing).
 */
const RUNS_REPORT = 'drip-runs-report';

export interface DripWorkflowInput {
  campaignId: string;
  batchSize?: number;
}

type Activities = ReturnType<typeof createActivities>;

const { dripPlan } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });
const { sendDripStep } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * One run of a campaign's drip Schedule: sends every later step that has come due, step by
 * step, batch by batch, through the same selection, limits, quiet hours and retries as the
 * broadcast. Runs that overlap are skipped by the Schedule; rows unique per (campaign, step,
 * contact) make a double run send nothing twice.
 */
export async function DripWorkflow(input: DripWorkflowInput): Promise<BatchOutcome> {
  const reports = patched(RUNS_REPORT);
  if (reports) upsertSearchAttributes({ CampaignId: [input.campaignId] });
  const plan = await dripPlan({ campaignId: input.campaignId });
  let total = emptyOutcome();
  if (!plan.active) return total;
  const limit = input.batchSize ?? 200;
  for (const step of plan.steps) {
    for (;;) {
      const outcome = await sendDripStep({ campaignId: input.campaignId, step, limit });
      total = addOutcome(total, outcome);
      if (outcome.materialized < limit && outcome.considered < limit) break;
    }
  }
  log.info('drip run finished', { campaignId: input.campaignId, total });
  if (reports) await reportRun(input.campaignId);
  return total;
}

/** Tells the campaign's workflow a run is over: it looks whether any drip step can still fire. */
async function reportRun(campaignId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(campaignWorkflowId(campaignId)).signal(dripRanSignal);
  } catch (error) {
    // Its workflow is closed (a campaign finished before drip runs reported): nobody to tell.
    log.info('drip run not reported', { campaignId, error: String(error) });
  }
}
