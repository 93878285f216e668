import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkQuietHours, nextAllowedAt, parseClock } from '../../core/quiet-hours.ts';
import { localParts } from '../../core/quiet-hours-time.ts';

const at = (iso: string): number => Date.parse(iso);
const ny = { timeZone: 'America/New_York', region: 'NY' };

describe('quiet hours', () => {
  it('allows 08:00–21:00 local by default (end exclusive)', () => {
    expect(checkQuietHours(at('2026-01-15T13:00:00Z'), ny)).toEqual({ allowed: true }); // 08:00 EST
    expect(checkQuietHours(at('2026-01-15T12:59:59Z'), ny)).toMatchObject({
      allowed: false,
      opensAt: at('2026-01-15T13:00:00Z'),
    });
    expect(checkQuietHours(at('2026-01-16T01:59:00Z'), ny)).toEqual({ allowed: true }); // 20:59 EST
    expect(checkQuietHours(at('2026-01-16T02:00:00Z'), ny)).toMatchObject({
      allowed: false,
      opensAt: at('2026-01-16T13:00:00Z'),
    });
  });

  it('applies Florida 08:00–20:00 in both Florida zones', () => {
    const miami = { timeZone: 'America/New_York', region: 'FL' };
    expect(checkQuietHours(at('2026-01-16T01:30:00Z'), miami)).toMatchObject({
      allowed: false,
      opensAt: at('2026-01-16T13:00:00Z'),
    });
    expect(checkQuietHours(at('2026-01-16T00:59:00Z'), miami)).toEqual({ allowed: true });
    const pensacola = { timeZone: 'America/Chicago', region: 'Florida' };
    expect(checkQuietHours(at('2026-01-16T02:30:00Z'), pensacola)).toMatchObject({
      allowed: false,
    }); // 20:30 CST
  });

  it('applies Texas Sunday rules (noon–21:00)', () => {
    const austin = { timeZone: 'America/Chicago', region: 'TX' };
    // Sunday 2026-01-18 10:00 CST → opens at 12:00 CST
    expect(nextAllowedAt(at('2026-01-18T16:00:00Z'), austin)).toBe(at('2026-01-18T18:00:00Z'));
    // Saturday 2026-01-17 08:30 CST → opens at 09:00 CST
    expect(nextAllowedAt(at('2026-01-17T14:30:00Z'), austin)).toBe(at('2026-01-17T15:00:00Z'));
  });

  it('handles DST changes when computing the next opening', () => {
    // Spring forward: 2026-03-08 in New York. 21:30 EST on the 7th → 08:00 EDT on the 8th.
    expect(nextAllowedAt(at('2026-03-08T02:30:00Z'), ny)).toBe(at('2026-03-08T12:00:00Z'));
    // Fall back: 2026-11-01. 22:00 EDT on Oct 31 → 08:00 EST on Nov 1.
    expect(nextAllowedAt(at('2026-11-01T02:00:00Z'), ny)).toBe(at('2026-11-01T13:00:00Z'));
    // A window in the skipped hour is outside the federal floor anyway: it never opens.
    const odd = nextAllowedAt(at('2026-03-08T06:00:00Z'), ny, {
      window: { start: '02:30', end: '05:00' },
    });
    expect(odd).toBeNull();
  });

  it('is conservative for unknown zones: allowed only when allowed in every fallback zone', () => {
    const unknown = { timeZone: null, region: null };
    // 14:00 UTC = 09:00 EST but 04:00 in Honolulu.
    expect(checkQuietHours(at('2026-01-15T14:00:00Z'), unknown)).toMatchObject({
      allowed: false,
      opensAt: at('2026-01-15T18:00:00Z'),
    });
    expect(
      checkQuietHours(at('2026-01-15T20:00:00Z'), { timeZone: 'Not/AZone', region: null }),
    ).toEqual({ allowed: true });
    expect(
      nextAllowedAt(at('2026-01-15T14:00:00Z'), unknown, {
        fallbackTimeZones: ['America/New_York'],
      }),
    ).toBe(at('2026-01-15T14:00:00Z'));
  });

  it('returns the first allowed instant: inside the window and nothing earlier is', () => {
    const zones = [
      'America/New_York',
      'America/Los_Angeles',
      'Europe/London',
      'Australia/Sydney',
      'Asia/Kolkata',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-01-01T00:00:00Z') }),
        fc.constantFrom(...zones),
        fc.constantFrom(null, 'FL', 'TX', 'AL'),
        (now, timeZone, region) => {
          const opens = nextAllowedAt(now, { timeZone, region });
          expect(opens).not.toBeNull();
          if (opens === null) return;
          expect(opens).toBeGreaterThanOrEqual(now);
          expect(checkQuietHours(opens, { timeZone, region })).toEqual({ allowed: true });
          if (opens > now) {
            expect(checkQuietHours(opens - 1000, { timeZone, region }).allowed).toBe(false);
            expect(localParts(opens, timeZone).minuteOfDay % 60).toBe(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects malformed clock strings', () => {
    expect(parseClock('08:30')).toBe(510);
    expect(() => parseClock('8am')).toThrow(RangeError);
  });
});
