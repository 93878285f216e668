/**
 * Keeps this process's actual dispatches per number at least one slot apart. Slots are
 * reserved in PostgreSQL (GCRA), but a send leaves a little after its slot, late by however
 * busy the event loop is; a late send followed by an on-time one would land two slots in
 * one. The pacer checks the real clock at the moment of dispatch and waits out the rest of
 * the gap, so lateness delays the sends that follow instead of bunching them.
 */
export class NumberPacer {
  readonly #lastDispatch = new Map<string, { at: number; slotMs: number }>();

  /** Milliseconds to wait before `numberId` may send a message occupying `slotMs`; 0 = go. */
  waitFor(numberId: string, now: number): number {
    const last = this.#lastDispatch.get(numberId);
    return last === undefined ? 0 : Math.max(0, last.at + last.slotMs - now);
  }

  /** Records a dispatch happening now (call synchronously right before the request). */
  dispatched(numberId: string, now: number, slotMs: number): void {
    this.#lastDispatch.set(numberId, { at: now, slotMs });
  }
}

/** One per process: every batch running in this worker shares it. */
export const processPacer = new NumberPacer();
