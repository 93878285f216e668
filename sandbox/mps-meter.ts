export interface NumberMps {
  /** Wall-clock seconds in which this sender sent more segments than its MPS. */
  readonly violations: number;
  /** The most segments this sender sent within one wall-clock second. */
  readonly peak: number;
  readonly segments: number;
}

export interface MpsReport {
  readonly total: number;
  readonly byNumber: Record<string, NumberMps>;
}

interface Counter {
  second: number;
  count: number;
  flagged: boolean;
  violations: number;
  peak: number;
  segments: number;
}

/** Counts, per sender, the wall-clock seconds in which it exceeded its messages-per-second. */
export class MpsMeter {
  #counters = new Map<string, Counter>();

  record(sender: string, segments: number, mps: number, atMs: number): void {
    const second = Math.floor(atMs / 1000);
    let counter = this.#counters.get(sender);
    if (counter === undefined) {
      counter = { second, count: 0, flagged: false, violations: 0, peak: 0, segments: 0 };
      this.#counters.set(sender, counter);
    }
    if (counter.second !== second) {
      counter.second = second;
      counter.count = 0;
      counter.flagged = false;
    }
    counter.count += segments;
    counter.segments += segments;
    counter.peak = Math.max(counter.peak, counter.count);
    if (counter.count > mps && !counter.flagged) {
      counter.flagged = true;
      counter.violations += 1;
    }
  }

  report(): MpsReport {
    const byNumber: Record<string, NumberMps> = {};
    let total = 0;
    for (const [sender, { violations, peak, segments }] of this.#counters) {
      byNumber[sender] = { violations, peak, segments };
      total += violations;
    }
    return { total, byNumber };
  }

  clear(): void {
    this.#counters.clear();
  }
}
