import type { Db } from '../db/connect.ts';
import { recordStatusEvents, type StatusEventInput } from '../db/status-events.ts';

export interface StatusEventBatcher {
  /** Resolves once the event is stored (or was a duplicate); rejects if storing failed. */
  store(event: StatusEventInput): Promise<void>;
}

/**
 * Group commit for status callbacks: the callbacks that arrive while one INSERT is in flight
 * are stored together by the next one, so a burst costs a few multi-row statements instead of
 * one round trip and transaction each. A webhook is still answered only once its event is
 * stored: nothing is acknowledged that could be lost.
 */
export function createStatusEventBatcher(
  db: Db,
  onStored: (ids: readonly string[]) => void,
  maxBatch = 500,
): StatusEventBatcher {
  let waiting: {
    event: StatusEventInput;
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  let flushing = false;
  const flush = async () => {
    if (flushing) return;
    flushing = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.slice(0, maxBatch);
        waiting = waiting.slice(batch.length);
        try {
          const { ids } = await recordStatusEvents(
            db,
            batch.map((item) => item.event),
          );
          onStored(ids);
          for (const item of batch) item.resolve();
        } catch (error) {
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      flushing = false;
    }
  };
  return {
    store: (event) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ event, resolve, reject });
        void flush();
      }),
  };
}
