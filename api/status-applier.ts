import type { Db } from '../db/connect.ts';
import type { HealthSettings } from '../db/health-settings.ts';
import { pruneOutcomes } from '../db/number-health.ts';
import { applyStatusEvents, type AppliedLag } from '../db/status-events.ts';

export interface StatusApplier {
  /** Events were stored by a webhook: apply them soon (bursts are coalesced). */
  stored(ids: readonly string[]): void;
  stop(): Promise<void>;
}

const BATCH = 2000;
/**
 * How long stored ids gather before a round applies them. A round costs about a dozen
 * statements whatever its size (the events, their messages and attempts, the senders' health),
 * so at thousands of callbacks a second a longer gather means fewer, larger rounds; a status
 * waits this much longer to be applied.
 */
const GATHER_MS = 100;
/** Sweeps between two prunings of old delivery outcomes (10 minutes at the default 5 s). */
const PRUNE_EVERY = 120;

/**
 * Applies stored status callbacks in the background, in batches: the ids the webhooks just
 * stored, coalesced over a burst, and a slow sweep of the last hour for events whose message
 * got its sid only after they arrived, or that a crash left behind. A failed round (a lock
 * conflict) is retried later: events stay stored until applied. Every so often it also
 * deletes delivery outcomes older than twice the health window: nothing reads them again.
 */
export function startStatusApplier(
  db: Db,
  options: {
    health: HealthSettings;
    log: (error: unknown) => void;
    /** Each round's applied statuses with their lag since the send was accepted. */
    onApplied?: (lags: readonly AppliedLag[]) => void;
  },
  sweepMs = 5000,
): StatusApplier {
  const { health, log, onApplied } = options;
  let queued: string[] = [];
  let running: Promise<void> | undefined;
  let stopped = false;
  const drain = async () => {
    while (!stopped && queued.length > 0) {
      const ids = queued.splice(0, BATCH);
      try {
        await applyStatusEvents(db, { ids, limit: BATCH, health, onApplied });
      } catch (error) {
        log(error);
      }
    }
  };
  let sweeps = 0;
  const sweep = async () => {
    try {
      while (
        !stopped &&
        (await applyStatusEvents(db, { limit: BATCH, health, onApplied })) >= BATCH
      ) {
        // a full batch: there may be more
      }
      if (sweeps++ % PRUNE_EVERY === 0) {
        const before = new Date(Date.now() - 2 * health.policy.windowMs);
        while (!stopped && (await pruneOutcomes(db, before)) > 0) {
          // a batch at a time
        }
      }
    } catch (error) {
      log(error);
    }
  };
  const run = (work: () => Promise<void>) => {
    if (stopped || running !== undefined) return;
    running = new Promise<void>((resolve) => setTimeout(resolve, GATHER_MS))
      .then(work)
      .finally(() => {
        running = undefined;
        if (queued.length > 0) run(drain);
      });
  };
  const timer = setInterval(() => run(sweep), sweepMs);
  timer.unref();
  return {
    stored: (ids) => {
      queued.push(...ids);
      run(drain);
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      queued = [];
    },
  };
}
