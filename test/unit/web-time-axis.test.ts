import { describe, expect, it } from 'vitest';
import { TIME_AXIS_INCREMENTS, timeAxisLabels } from '../../web/src/time-axis.ts';

const UTC = { locale: 'en-US', timeZone: 'UTC' };
/** 2026-12-06 12:03:04 UTC, in seconds. */
const AT = Date.UTC(2026, 11, 6, 12, 3, 4) / 1000;
const every = (step: number, count: number, from = AT) =>
  Array.from({ length: count }, (_, index) => from + index * step);

describe("a chart's time axis", () => {
  it('reads a campaign of a few seconds in whole seconds, the date under the first tick', () => {
    expect(timeAxisLabels(every(2, 6), 2, UTC)).toEqual([
      '12:03:04\nDec 6',
      '12:03:06',
      '12:03:08',
      '12:03:10',
      '12:03:12',
      '12:03:14',
    ]);
  });

  it('never offers ticks closer than a second, so no label shows milliseconds', () => {
    expect(Math.min(...TIME_AXIS_INCREMENTS)).toBe(1);
    expect(TIME_AXIS_INCREMENTS.every(Number.isInteger)).toBe(true);
  });

  it('drops the seconds from minute ticks on, and dates each new day', () => {
    const evening = Date.UTC(2026, 11, 6, 22, 0, 0) / 1000;
    expect(timeAxisLabels(every(3600, 4, evening), 3600, UTC)).toEqual([
      '22:00\nDec 6',
      '23:00',
      '00:00\nDec 7',
      '01:00',
    ]);
    expect(timeAxisLabels(every(300, 2, evening), 300, UTC)).toEqual(['22:00\nDec 6', '22:05']);
  });

  it('shows days for a campaign of weeks, and months for one of a year', () => {
    const midnight = Date.UTC(2026, 11, 6) / 1000;
    expect(timeAxisLabels(every(86_400, 3, midnight), 86_400, UTC)).toEqual([
      'Dec 6',
      'Dec 7',
      'Dec 8',
    ]);
    const first = Date.UTC(2026, 11, 1) / 1000;
    expect(timeAxisLabels([first, Date.UTC(2027, 2, 1) / 1000], 91 * 86_400, UTC)).toEqual([
      'Dec 2026',
      'Mar 2027',
    ]);
  });

  it('reads the clock in the time zone given', () => {
    expect(timeAxisLabels([AT], 1, { locale: 'en-US', timeZone: 'America/New_York' })).toEqual([
      '07:03:04\nDec 6',
    ]);
  });
});
