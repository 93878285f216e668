import { loadConfig, type Config } from '../config/env.ts';
import type { HealthPolicy } from '../core/health.ts';

/** The core health policy plus how many recent outcomes the rolling rate looks at. */
export interface HealthSettings {
  readonly policy: HealthPolicy;
  /** Most recent sender-attributable outcomes considered per number. */
  readonly window: number;
}

type HealthConfig = Pick<
  Config,
  | 'HEALTH_THRESHOLD'
  | 'HEALTH_MIN_SAMPLES'
  | 'HEALTH_WINDOW'
  | 'HEALTH_WINDOW_SECONDS'
  | 'HEALTH_COOLDOWN_SECONDS'
  | 'HEALTH_PROBATION_SECONDS'
  | 'HEALTH_PROBATION_GOOD'
  | 'HEALTH_PROBATION_MIN_SAMPLES'
>;

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

let fromEnvironment: HealthSettings | undefined;

/** Settings from the process environment, parsed once; callers with a config pass their own. */
export function defaultHealthSettings(): HealthSettings {
  fromEnvironment ??= healthSettings(loadConfig());
  return fromEnvironment;
}
