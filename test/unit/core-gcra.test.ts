import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pacerLimits } from '../../activities/number-pacer.ts';
import { messageSlotMs, placeSlots, reserveSlots } from '../../core/gcra.ts';

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
const headroomArb = fc.double({ min: 0, max: 0.5, noNaN: true });

describe('reserveSlots', () => {
  it('never places two segments of a number closer than 1/MPS, across successive batches', () => {
    fc.assert(
      fc.property(
        mpsArb,
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 5000 }), segments: segmentsArb }), {
          maxLength: 8,
        }),
        headroomArb,
        (mps, batches, headroom) => {
          const interval = 1000 / (mps * (1 - headroom));
          let next = 0;
          let now = 1_000_000;
          const all: number[] = [];
          for (const batch of batches) {
            now += batch.gap;
            const r = reserveSlots(next, mps, now, batch.segments, headroom);
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
          let expected = now + backlog;
          segments.forEach((k, i) => {
            expect(r.sendAts[i]).toBeCloseTo(expected, 6);
            // Each message's slot, rounded up to a millisecond: never more than 1 ms idle.
            expect(messageSlotMs(k, mps)).toBeLessThan((k * 1000) / mps + 1);
            expected += messageSlotMs(k, mps);
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
    expect(() => messageSlotMs(1, 1, 1)).toThrow(RangeError);
  });
});

describe('messageSlotMs, the one slot length', () => {
  it('rounds up to whole milliseconds, never shorter than segments / usable MPS', () => {
    expect(messageSlotMs(1, 1)).toBe(1000);
    expect(messageSlotMs(3, 4)).toBe(750);
    expect(messageSlotMs(1, 3)).toBe(334);
    expect(messageSlotMs(1, 100)).toBe(10);
    expect(messageSlotMs(1, 10, 0.2)).toBe(125);
    fc.assert(
      fc.property(mpsArb, fc.integer({ min: 1, max: 10 }), headroomArb, (mps, k, headroom) => {
        const exact = (k * 1000) / (mps * (1 - headroom));
        expect(messageSlotMs(k, mps, headroom)).toBeGreaterThanOrEqual(exact - EPS);
        expect(messageSlotMs(k, mps, headroom)).toBeLessThan(exact + 1);
      }),
    );
  });

  it('is the spacing the pacer enforces at dispatch', () => {
    fc.assert(
      fc.property(mpsArb, fc.integer({ min: 1, max: 10 }), headroomArb, (mps, k, headroom) => {
        expect(pacerLimits(mps, k, headroom).slotMs).toBe(messageSlotMs(k, mps, headroom));
      }),
    );
  });

  it('placeSlots starts at the later of the arrival time and now, and leaves no gaps', () => {
    expect(placeSlots(500, 1000, [100, 250])).toEqual({ sendAts: [1000, 1100], nextSlotAt: 1350 });
    expect(placeSlots(2000, 1000, [100])).toEqual({ sendAts: [2000], nextSlotAt: 2100 });
    expect(placeSlots(2000, 1000, [])).toEqual({ sendAts: [], nextSlotAt: 2000 });
  });
});
