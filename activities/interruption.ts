import type { Db } from '../db/connect.ts';

const CHECK_EVERY_MS = 500;

/**
 * Pause and cancel reach a running batch through the campaign row (the API sets it before
 * signalling the workflow), checked at most every half second: sending stops within a
 * second, without waiting for a heartbeat round trip.
 */
export interface InterruptionCheck {
  check(): Promise<boolean>;
  /** The last answer, without waiting (refreshes in the background when stale). */
  now(): boolean;
}

export function interruptionCheck(db: Db, campaignId: string): InterruptionCheck {
  let checkedAt = 0;
  let interrupted = false;
  let pending: Promise<boolean> | undefined;
  const check = async () => {
    if (interrupted || Date.now() - checkedAt < CHECK_EVERY_MS) return interrupted;
    pending ??= db
      .selectFrom('campaigns')
      .select('status')
      .where('id', '=', campaignId)
      .executeTakeFirst()
      .then((row) => {
        checkedAt = Date.now();
        interrupted = row?.status === 'paused' || row?.status === 'cancelled';
        return interrupted;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  return {
    check,
    now: () => {
      void check();
      return interrupted;
    },
  };
}
