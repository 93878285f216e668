import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capWindow, checkFrequencyCap } from '../../core/frequency-cap.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const now = new Date('2026-12-05T12:00:00Z');
const ago = (ms: number) => now.getTime() - ms;

describe('the frequency cap', () => {
  it('is off at max 0, and measures its window in days (fractions allowed)', () => {
    expect(capWindow({ max: 0, days: 7 })).toBeNull();
    expect(capWindow({ max: 3, days: 7 })).toEqual({ max: 3, windowMs: 7 * DAY });
    expect(capWindow({ max: 1, days: 0.5 })).toEqual({ max: 1, windowMs: 12 * HOUR });
  });

  it('lets a text go while the contact had fewer than max in the window', () => {
    const cap = { max: 3, windowMs: 7 * DAY };
    expect(checkFrequencyCap([], cap, now)).toEqual({ allowed: true });
    expect(checkFrequencyCap([ago(DAY), ago(2 * DAY)], cap, now)).toEqual({ allowed: true });
    // Texts older than the window do not count.
    expect(checkFrequencyCap([ago(DAY), ago(2 * DAY), ago(8 * DAY)], cap, now)).toEqual({
      allowed: true,
    });
  });

  it('opens when the oldest counted text leaves the window', () => {
    const cap = { max: 3, windowMs: 7 * DAY };
    const check = checkFrequencyCap([ago(HOUR), ago(6 * DAY), ago(2 * DAY)], cap, now);
    expect(check).toEqual({ allowed: false, opensAt: new Date(ago(6 * DAY) + 7 * DAY) });
  });

  it('over the cap by more than one, waits until enough have left', () => {
    // Five in the window (sent before the cap was lowered): one more may go once only one
    // is left in the window, i.e. once the second newest (a day ago) has left it.
    const cap = { max: 2, windowMs: 7 * DAY };
    const times = [ago(HOUR), ago(DAY), ago(4 * DAY), ago(5 * DAY), ago(6 * DAY)];
    expect(checkFrequencyCap(times, cap, now)).toEqual({
      allowed: false,
      opensAt: new Date(ago(DAY) + 7 * DAY),
    });
  });

  it('counts a text in flight (now) and opens a full window later', () => {
    const cap = { max: 1, windowMs: DAY };
    expect(checkFrequencyCap([now.getTime()], cap, now)).toEqual({
      allowed: false,
      opensAt: new Date(now.getTime() + DAY),
    });
  });

  it('at the time it opens, the text is allowed, and never a moment before (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 10 * DAY }),
        fc.array(fc.integer({ min: 0, max: 20 * DAY }), { maxLength: 20 }),
        (max, windowMs, agesMs) => {
          const cap = { max, windowMs };
          const times = agesMs.map((age) => ago(age));
          const check = checkFrequencyCap(times, cap, now);
          const inWindow = times.filter((at) => at > now.getTime() - windowMs).length;
          expect(check.allowed).toBe(inWindow < max);
          if (check.allowed) return;
          expect(check.opensAt.getTime()).toBeGreaterThan(now.getTime());
          expect(checkFrequencyCap(times, cap, check.opensAt).allowed).toBe(true);
          expect(checkFrequencyCap(times, cap, new Date(check.opensAt.getTime() - 1)).allowed).toBe(
            false,
          );
        },
      ),
    );
  });
});
