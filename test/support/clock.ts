import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The worker's clock in a test (`startCampaignStack({ clock })`): activities read "now" from
 * it and wait for its instants (send slots); Temporal's timers, PostgreSQL's `now()` and the
 * carrier's ledger keep real time.
 *
 * Moved by the test: stood still, or run at the real rate some way behind real time. Never
 * ahead of it: the workflow's timers and the rows PostgreSQL stamps would then lag behind.
 */
export class TestClock {
  #frozenAt: number | undefined;
  #offsetMs = 0;

  readonly now = (): Date => new Date(this.#frozenAt ?? Date.now() + this.#offsetMs);

  /** Waits until the clock reads `at`, following it as the test moves it; rejects on abort. */
  readonly sleepUntil = async (at: Date, signal: AbortSignal): Promise<void> => {
    for (let ms = at.getTime() - this.now().getTime(); ms > 0;) {
      await sleep(Math.min(ms, 50), undefined, { signal });
      ms = at.getTime() - this.now().getTime();
    }
  };

  /** Stands still at `at` until told otherwise. */
  freeze(at: Date = this.now()): void {
    this.#frozenAt = at.getTime();
  }

  /** Runs at the real rate, reading `at` at the real instant `realAt`. */
  runFrom(at: Date, realAt: Date): void {
    this.#frozenAt = undefined;
    this.#offsetMs = at.getTime() - realAt.getTime();
  }

  /** Runs at the real rate, `ms` behind real time. */
  behind(ms: number): void {
    this.runFrom(new Date(Date.now() - ms), new Date());
  }

  /** Real time again. */
  real(): void {
    this.runFrom(new Date(), new Date());
  }
}
