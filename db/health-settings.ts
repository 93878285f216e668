import type { HealthPolicy } from '../core/health.ts';

/** The core health policy plus how many recent outcomes the rolling rate looks at. */
export interface HealthSettings {
  readonly policy: HealthPolicy;
  /** Most recent sender-attributable outcomes considered per number. */
  readonly window: number;
}

/** The HEALTH_* part of the process's config (config/env.ts), which callers pass down. */
export interface HealthConfig {
  readonly HEALTH_THRESHOLD: number;
  readonly HEALTH_MIN_SAMPLES: number;
  readonly HEALTH_WINDOW: number;
  readonly HEALTH_WINDOW_SECONDS: number;
  readonly HEALTH_COOLDOWN_SECONDS: number;
  readonly HEALTH_PROBATION_SECONDS: number;
  readonly HEALTH_PROBATION_GOOD: number;
  readonly HEALTH_PROBATION_MIN_SAMPLES: number;
}

/** Settings from a config; db never reads the environment itself, so every caller passes one. */
export function healthSettings(config: HealthConfig): HealthSettings {
  return {
    window: config.HEALTH_WINDOW,
    policy: {
      windowMs: config.HEALTH_WINDOW_SECONDS * 1000,
      minSamples: config.HEALTH_MIN_SAMPLES,
      threshold: config.HEALTH_THRESHOLD,
      coolDownMs: config.HEALTH_COOLDOWN_SECONDS * 1000,
      probationGoodOutcomes: config.HEALTH_PROBATION_GOOD,
      probationMs: config.HEALTH_PROBATION_SECONDS * 1000,
      probationMinSamples: config.HEALTH_PROBATION_MIN_SAMPLES,
      attributeUncodedFailures: false,
    },
  };
}
