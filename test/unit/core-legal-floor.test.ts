import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { legalFloor } from '../../core/legal-floor.ts';
import { checkQuietHours, formatClock, nextAllowedAt } from '../../core/quiet-hours.ts';
import { localParts } from '../../core/quiet-hours-time.ts';

const at = (iso: string): number => Date.parse(iso);
const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'Etc/GMT-12',
  'Etc/GMT+11',
  'UTC',
];
const REGIONS = [null, 'CA', 'NY', 'FL', 'TX', 'AL', 'LA', 'MS', 'RI', 'UT', 'CT', 'KY'];
const minutesOf = (instant: number, zone: string) => localParts(instant, zone).minuteOfDay;

const windowArb = fc
  .tuple(fc.integer({ min: 0, max: 24 * 60 - 1 }), fc.integer({ min: 1, max: 24 * 60 }))
  .filter(([start, end]) => start < end)
  .map(([start, end]) => ({ start: formatClock(start), end: formatClock(end) }));

describe('the legal floor', () => {
  it('no instant is ever allowed outside 08:00–21:00 recipient-local, whatever the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('2025-01-01T00:00:00Z'), max: at('2030-12-31T00:00:00Z') }),
        windowArb,
        fc.constantFrom(...ZONES),
        fc.constantFrom(...REGIONS),
        (now, window, timeZone, region) => {
          const recipient = { timeZone, region };
          const opens = nextAllowedAt(now, recipient, { window });
          if (opens === null) return;
          const minute = minutesOf(opens, timeZone);
          expect(minute).toBeGreaterThanOrEqual(8 * 60);
          expect(minute).toBeLessThan(21 * 60);
          const allowedNow = checkQuietHours(now, recipient, { window }).allowed;
          if (allowedNow) expect(opens).toBe(now);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('00:00–24:00 sends at 08:00 and stops at 21:00 for a state with no rule of its own', () => {
    const ca = { timeZone: 'America/Los_Angeles', region: 'CA' };
    const allDay = { window: { start: '00:00', end: '24:00' } };
    // 03:00 PST Thursday → 08:00 PST.
    expect(checkQuietHours(at('2026-01-15T11:00:00Z'), ca, allDay)).toMatchObject({
      allowed: false,
      because: 'quiet_hours',
      opensAt: at('2026-01-15T16:00:00Z'),
      reason: 'outside 08:00–21:00 in America/Los_Angeles',
    });
    expect(checkQuietHours(at('2026-01-16T04:59:00Z'), ca, allDay)).toEqual({ allowed: true });
    expect(checkQuietHours(at('2026-01-16T05:00:00Z'), ca, allDay).allowed).toBe(false);
  });

  it('Florida 08:00–20:00 for a 00:00–24:00 campaign', () => {
    const miami = { timeZone: 'America/New_York', region: 'FL' };
    const allDay = { window: { start: '00:00', end: '24:00' } };
    expect(checkQuietHours(at('2026-01-15T12:59:00Z'), miami, allDay).allowed).toBe(false);
    expect(checkQuietHours(at('2026-01-15T13:00:00Z'), miami, allDay).allowed).toBe(true);
    expect(checkQuietHours(at('2026-01-16T00:59:00Z'), miami, allDay).allowed).toBe(true);
    expect(checkQuietHours(at('2026-01-16T01:00:00Z'), miami, allDay)).toMatchObject({
      allowed: false,
      opensAt: at('2026-01-16T13:00:00Z'),
    });
  });

  it('a Sunday-ban state waits for Monday 08:00, and says why', () => {
    const jackson = { timeZone: 'America/Chicago', region: 'MS' };
    // Sunday 2026-12-06 12:00 CST.
    expect(checkQuietHours(at('2026-12-06T18:00:00Z'), jackson)).toMatchObject({
      allowed: false,
      because: 'sunday_ban',
      opensAt: at('2026-12-07T14:00:00Z'),
    });
    // Saturday 21:30 CST: the wait spans the Sunday.
    expect(checkQuietHours(at('2026-12-06T03:30:00Z'), jackson)).toMatchObject({
      because: 'sunday_ban',
      opensAt: at('2026-12-07T14:00:00Z'),
    });
    // Friday 21:30 CST: only the night.
    expect(checkQuietHours(at('2026-12-05T03:30:00Z'), jackson)).toMatchObject({
      because: 'quiet_hours',
      opensAt: at('2026-12-05T14:00:00Z'),
    });
  });

  it('Rhode Island: Saturday 10:00–17:00, then nothing until Monday 09:00', () => {
    const providence = { timeZone: 'America/New_York', region: 'RI' };
    // Saturday 2026-12-05 09:30 EST → 10:00.
    expect(checkQuietHours(at('2026-12-05T14:30:00Z'), providence)).toMatchObject({
      because: 'quiet_hours',
      opensAt: at('2026-12-05T15:00:00Z'),
    });
    expect(checkQuietHours(at('2026-12-05T21:59:00Z'), providence)).toEqual({ allowed: true });
    // Saturday 17:00 EST: the wait spans the Sunday ban.
    expect(checkQuietHours(at('2026-12-05T22:00:00Z'), providence)).toMatchObject({
      because: 'sunday_ban',
      opensAt: at('2026-12-07T14:00:00Z'),
    });
  });

  it('a legal holiday defers to the next open day, naming the holiday', () => {
    const neworleans = { timeZone: 'America/Chicago', region: 'LA' };
    // Mardi Gras, Tuesday 2026-02-17, 10:00 CST → Wednesday 08:00 CST.
    const check = checkQuietHours(at('2026-02-17T16:00:00Z'), neworleans);
    expect(check).toMatchObject({
      allowed: false,
      because: 'legal_holiday',
      opensAt: at('2026-02-18T14:00:00Z'),
    });
    expect(check.allowed ? '' : check.reason).toContain('Mardi Gras');
    // Utah, Thanksgiving 2026 (Thu 26 Nov): Friday 08:00 MST.
    const slc = { timeZone: 'America/Denver', region: 'UT' };
    expect(checkQuietHours(at('2026-11-26T18:00:00Z'), slc)).toMatchObject({
      because: 'legal_holiday',
      opensAt: at('2026-11-27T15:00:00Z'),
    });
    // Rhode Island: Saturday 10:00–17:00, no Sunday, Christmas 2027 (Sat) observed Friday the 24th.
    const providence = { timeZone: 'America/New_York', region: 'RI' };
    expect(checkQuietHours(at('2027-12-24T15:00:00Z'), providence)).toMatchObject({
      because: 'legal_holiday',
      opensAt: at('2027-12-27T14:00:00Z'),
    });
    // A state with no holiday ban sends on Christmas.
    const ca = { timeZone: 'America/Los_Angeles', region: 'CA' };
    expect(checkQuietHours(at('2026-12-25T18:00:00Z'), ca)).toEqual({ allowed: true });
  });

  it('shows a wider window as clamped, and lists the stricter states', () => {
    const floor = legalFloor({ start: '00:00', end: '24:00' });
    expect(floor.effective).toEqual({ start: '08:00', end: '21:00' });
    expect(floor.clamped).toBe(true);
    expect(floor.federal).toMatchObject({ start: '08:00', end: '21:00' });
    expect(floor.state_rules.find((rule) => rule.state === 'FL')?.weekdays).toEqual({
      start: '08:00',
      end: '20:00',
    });
    const la = floor.state_rules.find((rule) => rule.state === 'LA');
    expect(la?.sunday).toBeNull();
    expect(la?.holidays).toContain('Mardi Gras');
    expect(legalFloor({ start: '09:00', end: '17:00' })).toMatchObject({
      effective: { start: '09:00', end: '17:00' },
      clamped: false,
    });
    expect(legalFloor({ start: '07:00', end: '10:00' }).effective).toEqual({
      start: '08:00',
      end: '10:00',
    });
    expect(legalFloor({ start: '21:00', end: '24:00' })).toMatchObject({
      effective: null,
      clamped: true,
    });
  });
});
