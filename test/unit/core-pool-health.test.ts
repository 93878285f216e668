import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_POLICY, evaluateHealth } from '../../core/health.ts';
import { NO_HEALTH_OVERRIDES, poolHealthPolicy } from '../../core/pool-health.ts';

describe('poolHealthPolicy', () => {
  it('is the global policy when the pool overrides nothing', () => {
    expect(poolHealthPolicy(DEFAULT_HEALTH_POLICY, NO_HEALTH_OVERRIDES)).toEqual(
      DEFAULT_HEALTH_POLICY,
    );
  });

  it('takes each field the pool sets, seconds as milliseconds, and keeps the rest', () => {
    const policy = poolHealthPolicy(DEFAULT_HEALTH_POLICY, {
      ...NO_HEALTH_OVERRIDES,
      health_threshold: 0.95,
      health_cooldown_seconds: 60,
    });
    expect(policy).toEqual({ ...DEFAULT_HEALTH_POLICY, threshold: 0.95, coolDownMs: 60_000 });
  });

  it('changes the verdict on the same outcomes', () => {
    const now = 1_000_000_000;
    const outcomes = [
      { at: now - 1000, status: 'delivered' as const, errorCode: null, count: 18 },
      { at: now - 1000, status: 'undelivered' as const, errorCode: 30007, count: 2 },
    ];
    const current = { state: 'active' as const, since: now - 60_000 };
    expect(evaluateHealth(current, outcomes, now, DEFAULT_HEALTH_POLICY).transition).toBeNull();
    const strict = poolHealthPolicy(DEFAULT_HEALTH_POLICY, {
      ...NO_HEALTH_OVERRIDES,
      health_threshold: 0.95,
    });
    expect(evaluateHealth(current, outcomes, now, strict).transition).toMatchObject({
      from: 'active',
      to: 'cooling',
    });
  });
});
