import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reserveBatch, reserveSlots, spreadAcrossNumbers } from '../../core/gcra.ts';

const EPS = 1e-6;

/** Every segment's slot time, given each message's send time and segment count. */
function segmentSlots(
  sendAts: readonly number[],
  segments: readonly number[],
  interval: number,
): number[] {
  return sendAts.flatMap((at, i) =>
    Array.from({ length: segments[i] ?? 0 }, (_, j) => at + j * interval),
  );
}

const mpsArb = fc.oneof(
  fc.integer({ min: 1, max: 100 }),
  fc.double({ min: 0.1, max: 500, noNaN: true }),
);
const segmentsArb = fc.array(fc.integer({ min: 1, max: 10 }), { maxLength: 60 });

describe('reserveSlots', () => {
  it('never places two segments of a number closer than 1/MPS, across successive batches', () => {
    fc.assert(
      fc.property(
        mpsArb,
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 5000 }), segments: segmentsArb }), {
          maxLength: 8,
        }),
        (mps, batches) => {
          const interval = 1000 / mps;
          let next = 0;
          let now = 1_000_000;
          const all: number[] = [];
          for (const batch of batches) {
            now += batch.gap;
            const r = reserveSlots(next, mps, now, batch.segments);
            r.sendAts.forEach((at) => expect(at).toBeGreaterThanOrEqual(now));
            all.push(...segmentSlots(r.sendAts, batch.segments, interval));
            next = r.nextSlotAt;
          }
          for (let i = 1; i < all.length; i += 1)
            expect((all[i] ?? 0) - (all[i - 1] ?? 0)).toBeGreaterThanOrEqual(interval - EPS);
        },
      ),
    );
  });

  it('waits minimally: no idle gap while demand is continuous', () => {
    fc.assert(
      fc.property(
        mpsArb,
        fc.double({ min: 0, max: 10_000, noNaN: true }),
        segmentsArb,
        (mps, backlog, segments) => {
          const now = 50_000;
          const r = reserveSlots(now + backlog, mps, now, segments);
          const interval = 1000 / mps;
          let expected = now + backlog;
          segments.forEach((k, i) => {
            expect(r.sendAts[i]).toBeCloseTo(expected, 6);
            expected += k * interval;
          });
          expect(r.nextSlotAt).toBeCloseTo(segments.length === 0 ? now + backlog : expected, 6);
        },
      ),
    );
  });

  it('sends at once when the number has been idle, and a 3-segment message takes 3 slots', () => {
    expect(reserveSlots(0, 10, 1000, [3, 1])).toEqual({ sendAts: [1000, 1300], nextSlotAt: 1400 });
  });

  it('rejects nonsense input', () => {
    expect(() => reserveSlots(0, 0, 0, [1])).toThrow(RangeError);
    expect(() => reserveSlots(0, 1, 0, [0])).toThrow(RangeError);
  });
});

describe('batch helpers', () => {
  it('reserveBatch keeps each number spaced even when requests interleave', () => {
    const r = reserveBatch(
      { a: { nextSlotAt: 0, mps: 1 }, b: { nextSlotAt: 5000, mps: 2 } },
      1000,
      [
        { numberId: 'a', segments: 1 },
        { numberId: 'b', segments: 2 },
        { numberId: 'a', segments: 1 },
        { numberId: 'b', segments: 1 },
      ],
    );
    expect(r).toEqual({ sendAts: [1000, 5000, 2000, 6000], nextSlotAt: { a: 3000, b: 6500 } });
  });

  it('spreadAcrossNumbers uses the pool at its combined rate and respects every number', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 6 }),
        segmentsArb,
        (rates, segments) => {
          const numbers = Object.fromEntries(
            rates.map((mps, i) => [`n${i}`, { nextSlotAt: 0, mps }]),
          );
          const { assignments, nextSlotAt } = spreadAcrossNumbers(numbers, 0, segments);
          for (const [id, { mps }] of Object.entries(numbers)) {
            const mine = assignments.flatMap((a, i) =>
              a.numberId === id ? [{ at: a.sendAt, k: segments[i] ?? 1 }] : [],
            );
            const slots = segmentSlots(
              mine.map((m) => m.at),
              mine.map((m) => m.k),
              1000 / mps,
            );
            for (let i = 1; i < slots.length; i += 1)
              expect((slots[i] ?? 0) - (slots[i - 1] ?? 0)).toBeGreaterThanOrEqual(
                1000 / mps - EPS,
              );
          }
          const total = segments.reduce((s, k) => s + k, 0);
          const capacity = rates.reduce((s, r) => s + r, 0);
          // The batch ends no later than the combined rate plus one largest message per number.
          const end = Math.max(...Object.values(nextSlotAt));
          expect(end).toBeLessThanOrEqual((total / capacity) * 1000 + 10 * 1000 + EPS);
        },
      ),
    );
  });
});
