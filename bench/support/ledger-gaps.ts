/**
 * Where a rate-bound run's time went, number by number, from the carrier's ledger: how
 * unevenly the numbers were loaded, how late each started and how early each stopped
 * against the run's span, and how much of its time between first and last message a number
 * sat idle beyond its ideal spacing (`slotMs`, the reservation rate).
 */
export interface LedgerGaps {
  messages_per_number: { min: number; max: number };
  /** First message of the run → a number's first message. */
  start_lag_seconds: { median: number; max: number };
  /** A number's last message → the run's last message. */
  early_stop_seconds: { median: number; max: number };
  /** Per number: Σ max(0, gap − 1.5 × slot) between its consecutive messages. */
  idle_seconds: { median: number; max: number };
  /** Gaps longer than 1.5 slots, over all numbers. */
  long_gaps: number;
}

export function ledgerGaps(
  entries: readonly { from: string; at: string }[],
  slotMs: number,
): LedgerGaps {
  const byNumber = new Map<string, number[]>();
  for (const entry of entries) {
    const times = byNumber.get(entry.from) ?? [];
    times.push(Date.parse(entry.at));
    byNumber.set(entry.from, times);
  }
  const all = [...byNumber.values()].map((times) => times.sort((a, b) => a - b));
  const first = Math.min(...all.map((times) => times[0] ?? Infinity));
  const last = Math.max(...all.map((times) => times[times.length - 1] ?? -Infinity));
  let longGaps = 0;
  const idle = all.map((times) => {
    let ms = 0;
    for (let i = 1; i < times.length; i++) {
      const excess = (times[i] ?? 0) - (times[i - 1] ?? 0) - 1.5 * slotMs;
      if (excess > 0) {
        ms += excess;
        longGaps++;
      }
    }
    return ms / 1000;
  });
  const counts = all.map((times) => times.length);
  return {
    messages_per_number: { min: Math.min(...counts), max: Math.max(...counts) },
    start_lag_seconds: spread(all.map((times) => ((times[0] ?? first) - first) / 1000)),
    early_stop_seconds: spread(
      all.map((times) => (last - (times[times.length - 1] ?? last)) / 1000),
    ),
    idle_seconds: spread(idle),
    long_gaps: longGaps,
  };
}

function spread(values: number[]): { median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    median: round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}
