import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.ts';
import { healthSettings } from '../../db/health-settings.ts';

describe('health settings', () => {
  it('builds the health policy from HEALTH_* variables', () => {
    const settings = healthSettings(
      loadConfig({ HEALTH_COOLDOWN_SECONDS: '2', HEALTH_MIN_SAMPLES: '5' }),
    );
    expect(settings.policy).toMatchObject({ coolDownMs: 2000, minSamples: 5, threshold: 0.8 });
    expect(settings.window).toBe(100);
  });
});
