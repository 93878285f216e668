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

  get pending(): number {
    return this.#timers.size;
  }

  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
