import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Config } from '../config/env.ts';
import { dripScheduleId } from '../core/campaign-contracts.ts';
import type { DripSchedule } from '../db/tables.ts';

function specOf(schedule: DripSchedule, startAt: Date | null): ScheduleSpec {
  const timezone = schedule.time_zone;
  const from = startAt === null ? {} : { startAt };
  if (schedule.cron !== undefined) return { cronExpressions: [schedule.cron], timezone, ...from };
  return { intervals: [{ every: `${schedule.every_seconds ?? 3600} seconds` }], timezone, ...from };
}

/**
 * The campaign's drip Schedule: visible in the Temporal UI's Schedules page, skipping a run
 * while the previous one is still going, catching up after downtime within a day. Creating
 * it twice is harmless (a second launch). The campaign's workflow deletes it once no drip step
 * can fire any more. A scheduled campaign's runs start at its `start_at`.
 */
export async function createDripSchedule(
  temporal: Client,
  config: Readonly<Config>,
  campaignId: string,
  schedule: DripSchedule,
  startAt: Date | null = null,
): Promise<void> {
  try {
    await temporal.schedule.create({
      scheduleId: dripScheduleId(campaignId),
      spec: specOf(schedule, startAt),
      action: {
        type: 'startWorkflow',
        workflowType: 'DripWorkflow',
        workflowId: dripScheduleId(campaignId),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [{ campaignId, batchSize: config.SEND_BATCH_SIZE }],
        // Its runs are listed with the campaign in the Temporal UI (CampaignId='…').
        searchAttributes: { CampaignId: [campaignId] },
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { campaignId },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}

export type DripAction = 'pause' | 'resume' | 'cancel';

/** Pause/resume/cancel of the campaign pause, unpause or delete its schedule. */
export async function controlDripSchedule(
  temporal: Client,
  campaignId: string,
  action: DripAction,
): Promise<void> {
  const handle = temporal.schedule.getHandle(dripScheduleId(campaignId));
  try {
    if (action === 'pause') await handle.pause('campaign paused');
    else if (action === 'resume') await handle.unpause('campaign resumed');
    else await handle.delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
}

/** When the schedule runs next, or null when it does not exist or is paused. */
export async function nextDripRun(temporal: Client, campaignId: string): Promise<string | null> {
  try {
    const description = await temporal.schedule.getHandle(dripScheduleId(campaignId)).describe();
    if (description.state.paused) return null;
    return description.info.nextActionTimes[0]?.toISOString() ?? null;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null;
    throw error;
  }
}
