import type { HealthPolicy } from './health-stats.ts';

/**
 * A pool's own health thresholds, shaped like its `pools` columns. Each null field falls back
 * to the process-wide policy (HEALTH_* settings), so a pool only states what it changes.
 */
export interface PoolHealthOverrides {
  health_threshold: number | null;
  health_min_samples: number | null;
  health_cooldown_seconds: number | null;
  health_probation_seconds: number | null;
  health_probation_good: number | null;
  health_probation_min_samples: number | null;
}

export const NO_HEALTH_OVERRIDES: PoolHealthOverrides = {
  health_threshold: null,
  health_min_samples: null,
  health_cooldown_seconds: null,
  health_probation_seconds: null,
  health_probation_good: null,
  health_probation_min_samples: null,
};

/** The policy a pool's numbers are judged by: the global one with the pool's overrides. */
export function poolHealthPolicy(global: HealthPolicy, pool: PoolHealthOverrides): HealthPolicy {
  const seconds = (value: number | null, fallbackMs: number) =>
    value === null ? fallbackMs : value * 1000;
  return {
    ...global,
    threshold: pool.health_threshold ?? global.threshold,
    minSamples: pool.health_min_samples ?? global.minSamples,
    coolDownMs: seconds(pool.health_cooldown_seconds, global.coolDownMs),
    probationMs: seconds(pool.health_probation_seconds, global.probationMs),
    probationGoodOutcomes: pool.health_probation_good ?? global.probationGoodOutcomes,
    probationMinSamples: pool.health_probation_min_samples ?? global.probationMinSamples,
  };
}
