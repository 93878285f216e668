import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberPacer } from '../../activities/number-pacer.ts';

/** Dispatches `count` sends, each woken `lateness(i)` ms after it was first allowed. */
function simulate(
  slotMs: number,
  toleranceMs: number,
  lateness: (i: number) => number,
  count: number,
): number[] {
  const pacer = new NumberPacer(toleranceMs);
  const times: number[] = [];
  let now = 0;
  for (let i = 0; i < count; i += 1) {
    now += pacer.waitFor('n', now);
    now += lateness(i);
    // woke late: still obey the pacer (it may ask for more waiting)
    while (pacer.waitFor('n', now) > 0) now += pacer.waitFor('n', now);
    pacer.dispatched('n', now, slotMs);
    times.push(now);
  }
  return times;
}

const maxInAnySecond = (times: number[]) =>
  Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length));

describe('NumberPacer', () => {
  it('never lets more than the rate through in any 1-second window, whatever the lateness', () => {
    const mps = 10;
    const slotMs = 1000 / (mps * 0.94);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 60, maxLength: 60 }),
        (late) => {
          const times = simulate(slotMs, 15, (i) => late[i] ?? 0, 60);
          expect(maxInAnySecond(times)).toBeLessThanOrEqual(mps);
        },
      ),
    );
  });

  it('keeps the full rate when every wake-up is late, instead of adding the lateness to each gap', () => {
    const slotMs = 100;
    const times = simulate(slotMs, 15, () => 12, 50);
    // Spacing by the actual previous send would take 49 × 125 ms; the ideal schedule holds 49 × 100.
    expect(times[49] ?? 0).toBeLessThan(49 * slotMs + 100);
  });
});
