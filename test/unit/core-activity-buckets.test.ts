import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUCKET_LADDER_SECONDS,
  MAX_BUCKETS,
  bucketSeconds,
  deliveryRate,
} from '../../core/activity-buckets.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 7) + seconds * 1000);

describe('activity buckets', () => {
  it('picks 10 s for a short campaign, an hour for four days, a day for two months', () => {
    expect(bucketSeconds(at(0), at(600))).toBe(10);
    expect(bucketSeconds(at(0), at(4 * 86400))).toBe(3600);
    expect(bucketSeconds(at(0), at(60 * 86400))).toBe(86400);
    expect(bucketSeconds(at(0), at(0))).toBe(10);
  });

  it('never makes more than the cap of buckets (unless the range outgrows the ladder), and picks the finest that fits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 * 86400 }), (span) => {
        const step = bucketSeconds(at(0), at(span));
        expect(Math.floor(span / step) + 1).toBeLessThanOrEqual(MAX_BUCKETS);
        const finer = BUCKET_LADDER_SECONDS.filter((candidate) => candidate < step);
        for (const candidate of finer)
          expect(Math.floor(span / candidate) + 1).toBeGreaterThan(MAX_BUCKETS);
      }),
    );
  });

  it('gives a delivery rate only once something settled', () => {
    expect(deliveryRate(0, 0)).toBeNull();
    expect(deliveryRate(31, 9)).toBe(0.775);
    expect(deliveryRate(5, 0)).toBe(1);
  });
});
