import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberPacer, pacerLimits } from '../../activities/number-pacer.ts';

interface Carrier {
  /** One-way latency, ms. */
  latency: number;
  /** Windows [start, end) in which the carrier (or the path to it) handles nothing. */
  stalls: readonly (readonly [number, number])[];
}

/**
 * Sends `count` single-segment messages from one number as the send pipeline does, on a
 * simulated clock: each dispatch is woken `lateness(i)` ms late, and reaches the carrier
 * after its latency, or when a stall it ran into ends. Returns when the carrier got each one.
 */
async function simulate(options: {
  mps: number;
  headroom: number;
  count: number;
  lateness?: (i: number) => number;
  carrier?: Carrier;
}): Promise<number[]> {
  const { mps, headroom, count } = options;
  const carrier = options.carrier ?? { latency: 1, stalls: [] };
  let now = 0;
  const pacer = new NumberPacer(15, () => now);
  const limits = pacerLimits(mps, 1, headroom);
  const arrivals: number[] = [];
  const pending: { at: number; answer: () => void }[] = [];
  const answerUpTo = async (time: number) => {
    pending.sort((a, b) => a.at - b.at);
    while (pending.length > 0 && (pending[0]?.at ?? Infinity) <= time) {
      const next = pending.shift();
      if (next === undefined) break;
      now = Math.max(now, next.at);
      next.answer();
      await new Promise((resolve) => setImmediate(resolve));
    }
    now = Math.max(now, time);
  };
  for (let i = 0; i < count; i += 1) {
    let woken = false;
    for (;;) {
      await answerUpTo(now);
      const decision = pacer.next('n', now, limits);
      if ('answer' in decision) {
        await answerUpTo(Math.min(...pending.map((p) => p.at)));
        await decision.answer;
      } else if (decision.waitMs > 0) {
        await answerUpTo(now + decision.waitMs);
      } else if (!woken) {
        woken = true;
        await answerUpTo(now + (options.lateness?.(i) ?? 0));
      } else break;
    }
    let arrival = now + carrier.latency;
    for (const [start, end] of carrier.stalls) if (arrival >= start && arrival < end) arrival = end;
    arrival = Math.max(arrival, arrivals.at(-1) ?? 0);
    arrivals.push(arrival);
    let answer = () => {};
    const request = new Promise<void>((resolve) => (answer = resolve));
    pending.push({ at: arrival + carrier.latency, answer });
    pacer.dispatched('n', now, limits, request);
  }
  return arrivals;
}

const maxInAnySecond = (times: number[]) =>
  Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length));

const stallsArbitrary = fc
  .array(fc.tuple(fc.integer({ min: 1_000, max: 2_000 }), fc.integer({ min: 1, max: 900 })), {
    maxLength: 6,
  })
  .map((pairs) => {
    // Stalls of up to 0.9 s, each at least a second after the previous one ended.
    const stalls: [number, number][] = [];
    let at = 0;
    for (const [gap, length] of pairs) {
      at += gap;
      stalls.push([at, at + length]);
      at += length;
    }
    return stalls;
  });

describe('NumberPacer', () => {
  it('never lets more than the rate through in any 1-second window, whatever the lateness', async () => {
    const mps = 10;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 60, maxLength: 60 }),
        async (late) => {
          const arrivals = await simulate({
            mps,
            headroom: 0.06,
            count: 60,
            lateness: (i) => late[i] ?? 0,
          });
          expect(maxInAnySecond(arrivals)).toBeLessThanOrEqual(mps);
        },
      ),
      { numRuns: 50 },
    );
  });

  it.each([
    [10, 0.1],
    [10, 0.07],
    [10, 0.06],
    [30, 0.07],
    [100, 0.07],
    [300, 0.07],
    [3, 0.1],
    [1, 0.1],
  ])(
    'keeps %d MPS (headroom %d) at the carrier when a stall on the way bunches requests',
    async (mps, headroom) => {
      // Round trips short enough that MPS reserved slots span a second and a round trip:
      // up to 73 ms at 10 MPS with a headroom of 0.07, 61 ms with 0.06.
      const slotMs = 1000 / (mps * (1 - headroom));
      const maxLatency = Math.max(1, Math.floor((mps * slotMs - 1002) / 2) - 1);
      await fc.assert(
        fc.asyncProperty(
          stallsArbitrary,
          fc.integer({ min: 1, max: maxLatency }),
          async (stalls, latency) => {
            const arrivals = await simulate({
              mps,
              headroom,
              count: mps * 12,
              carrier: { latency, stalls },
            });
            expect(maxInAnySecond(arrivals)).toBeLessThanOrEqual(mps);
          },
        ),
        { numRuns: 40 },
      );
    },
  );

  it('keeps the rate when the carrier answers slowly, with more requests in flight', async () => {
    // 150 ms each way: one request at a time would allow only ~3 sends per second.
    const arrivals = await simulate({
      mps: 10,
      headroom: 0.07,
      count: 60,
      carrier: { latency: 150, stalls: [] },
    });
    const slotMs = 1000 / 9.3;
    expect((arrivals[59] ?? 0) - (arrivals[0] ?? 0)).toBeLessThan(59 * slotMs + 600);
    expect(maxInAnySecond(arrivals)).toBeLessThanOrEqual(10);
  });

  it('keeps the full rate over a round trip of 70 ms, and MPS at the carrier', async () => {
    const arrivals = await simulate({
      mps: 10,
      headroom: 0.07,
      count: 60,
      carrier: { latency: 35, stalls: [] },
    });
    expect((arrivals[59] ?? 0) - (arrivals[0] ?? 0)).toBeLessThan(59 * (1000 / 9.3) + 100);
    expect(maxInAnySecond(arrivals)).toBeLessThanOrEqual(10);
  });

  it('keeps the full rate when every wake-up is late, instead of adding the lateness to each gap', async () => {
    // 10 MPS with a headroom of 0.1: a 111 ms slot.
    const arrivals = await simulate({ mps: 10, headroom: 0.1, count: 50, lateness: () => 12 });
    // Spacing by the actual previous send would take 49 × 123 ms; the ideal schedule 49 × 111.
    expect((arrivals[49] ?? 0) - (arrivals[0] ?? 0)).toBeLessThan(49 * (1000 / 9) + 100);
  });

  it('keeps up to ⌊MPS × headroom / 2⌋ requests in flight for fast numbers, one for slow ones', () => {
    expect(pacerLimits(1000, 1, 0.1).maxInFlight).toBe(50);
    expect(pacerLimits(10, 1, 0.1)).toEqual({
      slotMs: 112, // the rate model's slot: 1000 / 9 ms, rounded up
      segments: 1,
      segmentsPerSecond: 10,
      maxInFlight: 1,
    });
    expect(pacerLimits(1, 2, 0.1).slotMs).toBe(Math.ceil(2000 / 0.9));
  });
});
