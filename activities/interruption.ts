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
 * A read of each campaign's status in flight in this process: every sender of every batch of
 * the campaign that asks while it runs shares its answer (each asks before each dispatch).
 */
const asking = new Map<string, { answer: Promise<string | undefined>; startedAt: number }>();

/** The campaign's status, from a read that started at `since` or later. */
function askStatus(db: Db, campaignId: string, since: number): Promise<string | undefined> {
  const shared = asking.get(campaignId);
  if (shared !== undefined && shared.startedAt >= since) return shared.answer;
  const read = {
    answer: campaignStatusOf(db, campaignId),
    startedAt: performance.now(),
  };
  asking.set(campaignId, read);
  void read.answer
    .finally(() => {
      if (asking.get(campaignId) === read) asking.delete(campaignId);
    })
    .catch(() => undefined);
  return read.answer;
}

/**
 * Pause and cancel reach a running batch through the campaign row (the API sets it before
 * signalling the workflow). A timer keeps the answer fresh, so a send that wakes up for its
 * slot knows within a quarter second, without a heartbeat round trip or a query of its own.
 */
export function interruptionCheck(db: Db, campaignId: string): InterruptionCheck {
  let interrupted = false;
  // A read begun before this batch started may predate a resume: it is not this batch's news.
  const createdAt = performance.now();
  const check = async () => {
    const status = await askStatus(db, campaignId, createdAt);
    interrupted ||= status === 'paused' || status === 'cancelled';
    return interrupted;
  };
  const timer = setInterval(() => void check().catch(() => undefined), REFRESH_MS);
  timer.unref();
  return { check, now: () => interrupted, stop: () => clearInterval(timer) };
}
