export interface TimedEvent {
  /** Milliseconds from now. */
  readonly at: number;
  readonly run: () => void;
}

/** setTimeout with bookkeeping, so a reset or close cancels every pending event. */
export class Scheduler {
  #timers = new Set<NodeJS.Timeout>();

  at(delayMs: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, delayMs);
    this.#timers.add(timer);
  }

  /**
   * Runs events strictly in time order (ties keep their given order) on one chained timer, so
   * two events a millisecond apart never swap, and a message holds one timer at a time.
   */
  sequence(events: readonly TimedEvent[]): void {
    const ordered = events
      .map((event, index) => ({ ...event, index }))
      .sort((a, b) => a.at - b.at || a.index - b.index);
    const step = (position: number, elapsed: number) => {
      const event = ordered[position];
      if (event === undefined) return;
      this.at(Math.max(0, event.at - elapsed), () => {
        event.run();
        step(position + 1, event.at);
      });
    };
    step(0, 0);
  }

  get pending(): number {
    return this.#timers.size;
  }

  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
