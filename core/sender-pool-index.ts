import { effectiveWeight, fallbackWeight, kindWeight } from './sender-pool.ts';
import type { PoolNumber, PoolOptions } from './sender-pool.ts';

/** A pool precomputed once per batch: weights in typed arrays and geographic buckets. */
export interface PoolIndex {
  readonly pool: PoolOptions;
  readonly numbers: readonly PoolNumber[];
  readonly ids: readonly string[];
  /** Healthy effective weights (0 for cooling, retired or zero-weight kinds). */
  readonly weights: Float64Array;
  /** Weights used only as a last resort when skip_unhealthy is off. */
  readonly fallbackWeights: Float64Array;
  /** Today's new recipients per number, incremented as a batch assigns them. */
  readonly usage: Float64Array;
  readonly caps: Float64Array;
  readonly all: readonly number[];
  readonly byAreaCode: ReadonlyMap<string, number[]>;
  readonly byRegion: ReadonlyMap<string, number[]>;
  readonly byId: ReadonlyMap<string, number>;
  readonly byPhone: ReadonlyMap<string, number>;
  /** Non-retired numbers whose kind weight is above 0. */
  readonly usable: readonly number[];
}

function push(map: Map<string, number[]>, key: string | null, index: number): void {
  if (key === null || key === '') return;
  const bucket = map.get(key);
  if (bucket) bucket.push(index);
  else map.set(key, [index]);
}

export function buildPoolIndex(pool: PoolOptions, numbers: readonly PoolNumber[]): PoolIndex {
  const live = numbers.filter((n) => n.state !== 'retired');
  const byAreaCode = new Map<string, number[]>();
  const byRegion = new Map<string, number[]>();
  const byId = new Map<string, number>();
  const byPhone = new Map<string, number>();
  const usable: number[] = [];
  live.forEach((n, i) => {
    push(byAreaCode, n.area_code, i);
    push(byRegion, n.region === null ? null : n.region.toUpperCase(), i);
    byId.set(n.id, i);
    byPhone.set(n.phone, i);
    if (kindWeight(pool, n.kind) > 0 && n.weight > 0) usable.push(i);
  });
  return {
    pool,
    numbers: live,
    ids: live.map((n) => n.id),
    weights: Float64Array.from(live, (n) => effectiveWeight(pool, n)),
    fallbackWeights: Float64Array.from(live, (n) => fallbackWeight(pool, n)),
    usage: Float64Array.from(live, (n) => n.new_recipients_today ?? 0),
    caps: Float64Array.from(live, (n) => n.daily_cap ?? Number.POSITIVE_INFINITY),
    all: live.map((_, i) => i),
    byAreaCode,
    byRegion,
    byId,
    byPhone,
    usable,
  };
}

export function underCap(index: PoolIndex, i: number): boolean {
  return (index.usage[i] ?? 0) < (index.caps[i] ?? 0);
}
