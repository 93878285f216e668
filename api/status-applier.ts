import { applyStatusEvents } from '../db/status-events.ts';
import type { Db } from '../db/connect.ts';
import type { HealthSettings } from '../db/health-settings.ts';

export interface StatusApplier {
  /** New events were stored: apply soon (coalesced). */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Applies stored status callbacks in the background, in batches: woken by each webhook,
 * coalescing bursts, and on a slow tick for events that waited for their sid. A failed
 * round (e.g. a lock conflict) is retried on the next one: events stay stored until applied.
 */
export function startStatusApplier(
  db: Db,
  health: HealthSettings,
  log: (error: unknown) => void,
  tickMs = 1000,
): StatusApplier {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const round = async () => {
    do {
      again = false;
      try {
        while (!stopped && (await applyStatusEvents(db, { limit: 2000, health })) >= 2000) {
          // a full batch: there may be more
        }
      } catch (error) {
        log(error);
      }
    } while (again && !stopped);
  };
  const wake = () => {
    if (stopped) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = new Promise<void>((resolve) => setTimeout(resolve, 20)).then(round).finally(() => {
      running = undefined;
    });
  };
  const timer = setInterval(wake, tickMs);
  timer.unref();
  return {
    wake,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
