import type { Db } from '../db/connect.ts';
import { campaignStatusOf } from '../db/send-watches.ts';

const REFRESH_MS = 250;

export interface InterruptionCheck {
  /** Asks the database now. */
  check(): Promise<boolean>;
  /** The latest answer, refreshed in the background every quarter second; never waits. */
  now(): boolean;
  stop(): void;
}

/**
 * Pause and cancel reach a running batch through the campaign row (the API sets it before
 * signalling the workflow). A timer keeps the answer fresh, so a send that wakes up for its
 * slot knows within a quarter second, without a heartbeat round trip or a query of its own.
 */
export function interruptionCheck(db: Db, campaignId: string): InterruptionCheck {
  let interrupted = false;
  let inFlight: Promise<boolean> | undefined;
  const check = () => {
    inFlight ??= campaignStatusOf(db, campaignId)
      .then((status) => {
        interrupted ||= status === 'paused' || status === 'cancelled';
        return interrupted;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  const timer = setInterval(() => void check().catch(() => undefined), REFRESH_MS);
  timer.unref();
  return { check, now: () => interrupted, stop: () => clearInterval(timer) };
}
