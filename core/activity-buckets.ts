/**
 * Time buckets for an activity chart: the smallest step from a fixed ladder that cuts
 * [from, to] into at most `maxBuckets` buckets, so a ten-minute campaign shows 10 s buckets and
 * a week-long one hours, and every chart of the same range lines up on the same boundaries
 * (buckets start at multiples of the step since the epoch).
 */
export const BUCKET_LADDER_SECONDS = [
  10,
  30,
  60,
  300,
  900,
  1800,
  3600,
  3 * 3600,
  6 * 3600,
  12 * 3600,
  86400,
  7 * 86400,
] as const;

export const MAX_BUCKETS = 120;

export function bucketSeconds(from: Date, to: Date, maxBuckets = MAX_BUCKETS): number {
  const span = Math.max(0, (to.getTime() - from.getTime()) / 1000);
  for (const step of BUCKET_LADDER_SECONDS) {
    if (Math.floor(span / step) + 1 <= maxBuckets) return step;
  }
  return BUCKET_LADDER_SECONDS[BUCKET_LADDER_SECONDS.length - 1] ?? 7 * 86400;
}

/** A delivery rate that means something: null until a message reached a final state. */
export function deliveryRate(delivered: number, failed: number): number | null {
  const settled = delivered + failed;
  return settled === 0 ? null : Math.round((delivered / settled) * 1000) / 1000;
}
