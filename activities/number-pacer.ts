/**
 * Keeps this process's real dispatches per number within the number's rate. Slots are
 * reserved in PostgreSQL (GCRA), but a send leaves a little after its slot, late by however
 * busy the event loop is; a late send followed by an on-time one would land two in one slot.
 * The pacer runs the same GCRA on the real clock at the moment of dispatch: a send may go
 * once `now ≥ TAT − tolerance`, then TAT advances by its slot from the *ideal* schedule, so
 * lateness is caught up instead of piling up, and bursts stay within the tolerance.
 *
 * With RATE_LIMIT_HEADROOM h, a 1-second window holds at most MPS sends as long as
 * tolerance + network jitter < 1000/(1−h) − 1000 ms (111 ms for h = 0.1).
 */
export const PACER_TOLERANCE_MS = 15;

export class NumberPacer {
  readonly #tat = new Map<string, number>();

  constructor(private readonly toleranceMs = PACER_TOLERANCE_MS) {}

  /** Milliseconds `numberId` must still wait before its next dispatch; 0 = go now. */
  waitFor(numberId: string, now: number): number {
    const tat = this.#tat.get(numberId);
    return tat === undefined ? 0 : Math.max(0, tat - this.toleranceMs - now);
  }

  /** Records a dispatch happening now (call synchronously right before the request). */
  dispatched(numberId: string, now: number, slotMs: number): void {
    this.#tat.set(numberId, Math.max(this.#tat.get(numberId) ?? now, now) + slotMs);
  }
}

/** One per process: every batch running in this worker shares it. */
export const processPacer = new NumberPacer();
