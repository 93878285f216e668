/**
 * The campaign's contracts, shared by its workflows (campaign, drip), their activities and the
 * API that starts them: ids, ranges, progress and outcomes, small and serialisable. Pure, so workflow code
 * may import it and activities need not import workflow code.
 */

import type { CampaignStatus } from './campaign-status.ts';

/** One campaign workflow per campaign. */
export const campaignWorkflowId = (campaignId: string) => `campaign-${campaignId}`;

/** The campaign's drip Schedule (and the id of the workflows it starts). */
export const dripScheduleId = (campaignId: string) => `campaign-${campaignId}-drip`;

export interface ContactRange {
  /** Exclusive lower bound of contact ids (null: from the start). */
  after: string | null;
  /** Inclusive upper bound. */
  upTo: string;
}

export interface BatchOutcome {
  considered: number;
  sent: number;
  skipped: number;
  deferred: number;
  failed: number;
  retryScheduled: number;
}

export interface DueWork {
  /** Messages that may be sent now (retries, deferred recipients whose window opened). */
  dueNow: number;
  /** When the next deferred message comes due (ISO), if any. */
  nextDueAt: string | null;
  /**
   * How long until then by the activities' clock, the one that decided it: the workflow waits
   * this long rather than compare `nextDueAt` with its own time. Absent from results recorded
   * before it existed.
   */
  nextDueInMs?: number;
  /** Messages sent but still without a final status. */
  awaitingStatus: number;
  /** Messages left in `sending` by a worker that died, or awaiting status past the timeout. */
  stale: number;
}

export interface CampaignProgress {
  campaignId: string;
  status: CampaignRunStatus;
  step: number;
  batchesDone: number;
  totals: BatchOutcome;
  cursor: string | null;
  audienceExhausted: boolean;
  nextWakeAt: string | null;
}

/** The workflow's status; `waiting` (for deferred sends or statuses) is `running` to the API. */
export type CampaignRunStatus =
  'scheduled' | 'running' | 'paused' | 'waiting' | 'waiting_for_drip' | 'completed' | 'cancelled';

/** The API's status (stored, and upserted as `CampaignStatus`) for the workflow's. */
export function campaignStatusOf(status: CampaignRunStatus): CampaignStatus {
  return status === 'waiting' ? 'running' : status;
}

export const emptyOutcome = (): BatchOutcome => ({
  considered: 0,
  sent: 0,
  skipped: 0,
  deferred: 0,
  failed: 0,
  retryScheduled: 0,
});

export function addOutcome(total: BatchOutcome, add: BatchOutcome): BatchOutcome {
  return {
    considered: total.considered + add.considered,
    sent: total.sent + add.sent,
    skipped: total.skipped + add.skipped,
    deferred: total.deferred + add.deferred,
    failed: total.failed + add.failed,
    retryScheduled: total.retryScheduled + add.retryScheduled,
  };
}
