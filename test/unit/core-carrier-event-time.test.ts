import { describe, expect, it } from 'vitest';
import { carrierEventTime } from '../../core/carrier-event-time.ts';

describe('carrierEventTime', () => {
  const at = new Date('2026-12-06T02:30:00.250Z');

  it('reads Unix milliseconds, Unix seconds and ISO 8601, as numbers or strings', () => {
    expect(carrierEventTime(at.getTime())).toEqual(at);
    expect(carrierEventTime(String(at.getTime()))).toEqual(at);
    expect(carrierEventTime(1_796_524_200)).toEqual(new Date('2026-12-06T02:30:00Z'));
    expect(carrierEventTime('2026-12-06T02:30:00.250Z')).toEqual(at);
  });

  it('is null for a missing or unreadable time', () => {
    for (const value of [undefined, null, '', 'yesterday', -5, Number.NaN, {}])
      expect(carrierEventTime(value)).toBeNull();
  });
});
