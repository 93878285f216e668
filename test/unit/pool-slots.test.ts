import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.ts';
import { healthSettings } from '../../db/health-settings.ts';
import { slotMs } from '../../db/sender-slots.ts';

describe('slot arithmetic and health settings', () => {
  it('rounds a message’s slot up to whole milliseconds, never shorter than segments / MPS', () => {
    expect(slotMs(1, 1)).toBe(1000);
    expect(slotMs(3, 4)).toBe(750);
    expect(slotMs(1, 3)).toBe(334);
    expect(slotMs(1, 100)).toBe(10);
    for (const mps of [0.5, 1, 3, 7, 30, 100, 333]) {
      for (const segments of [1, 2, 5])
        expect(slotMs(segments, mps)).toBeGreaterThanOrEqual((segments * 1000) / mps);
    }
  });

  it('builds the health policy from HEALTH_* variables', () => {
    const settings = healthSettings(
      loadConfig({ HEALTH_COOLDOWN_SECONDS: '2', HEALTH_MIN_SAMPLES: '5' }),
    );
    expect(settings.policy).toMatchObject({ coolDownMs: 2000, minSamples: 5, threshold: 0.8 });
    expect(settings.window).toBe(100);
  });
});
