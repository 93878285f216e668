/**
 * Holiday dates computed from their rule, for any year: nothing here is a per-year table.
 * A rule is a fixed date, an nth (or last) weekday of a month, or an offset from Easter
 * Sunday (Gregorian computus); `observed` says how the statute moves a date that falls on a
 * weekend. Calendar arithmetic in UTC (dates only, no time zones).
 */
import { assertNever } from './assert-never.ts';

export interface CalendarDate {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
}

export type HolidayRule =
  | { kind: 'fixed'; month: number; day: number }
  /** `n` = 1…5, or -1 for the last such weekday of the month; weekday 0 = Sunday. */
  | { kind: 'nth_weekday'; month: number; weekday: number; n: number }
  /** Days after Easter Sunday (-47 = Mardi Gras, -2 = Good Friday). */
  | { kind: 'easter'; offset: number };

/**
 * - `weekend`: Saturday → the Friday before, Sunday → the Monday after (5 U.S.C. 6103 via
 *   E.O. 11582; Utah Code 63G-1-301(2)(a)–(b));
 * - `sunday`: Sunday → the Monday after, Saturday stays;
 * - `monday`: Tuesday–Friday → the Monday before, Saturday/Sunday → the Monday after (Utah's
 *   Juneteenth, 63G-1-301(2)(c)–(d)).
 */
export type ObservedShift = 'weekend' | 'sunday' | 'monday';

export interface Holiday {
  name: string;
  rule: HolidayRule;
  observed?: ObservedShift;
  /** First year the holiday is law (omitted: every year). */
  since?: number;
}

const DAY_MS = 86_400_000;

const toUtc = (d: CalendarDate): number => Date.UTC(d.year, d.month - 1, d.day);

function fromUtc(ms: number): CalendarDate {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export const weekdayOf = (d: CalendarDate): number => new Date(toUtc(d)).getUTCDay();

export const shiftDays = (d: CalendarDate, days: number): CalendarDate =>
  fromUtc(toUtc(d) + days * DAY_MS);

export const sameDate = (a: CalendarDate, b: CalendarDate): boolean =>
  a.year === b.year && a.month === b.month && a.day === b.day;

/** Easter Sunday of a Gregorian year (the anonymous "Meeus/Jones/Butcher" computus). */
export function easterSunday(year: number): CalendarDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

/** The nth (1…5) or last (-1) given weekday of a month. */
export function nthWeekday(year: number, month: number, weekday: number, n: number): CalendarDate {
  if (n === -1) {
    const last = fromUtc(Date.UTC(year, month, 0));
    return shiftDays(last, -((weekdayOf(last) - weekday + 7) % 7));
  }
  const first = { year, month, day: 1 };
  return shiftDays(first, ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1));
}

/** The date a rule names in a year, before any observed-day shift. */
export function ruleDate(rule: HolidayRule, year: number): CalendarDate {
  switch (rule.kind) {
    case 'fixed':
      return { year, month: rule.month, day: rule.day };
    case 'nth_weekday':
      return nthWeekday(year, rule.month, rule.weekday, rule.n);
    case 'easter':
      return shiftDays(easterSunday(year), rule.offset);
    default:
      return assertNever(rule, 'holiday rule');
  }
}

function observedDate(date: CalendarDate, shift: ObservedShift | undefined): CalendarDate {
  const weekday = weekdayOf(date);
  if (shift === 'weekend' && weekday === 6) return shiftDays(date, -1);
  if ((shift === 'weekend' || shift === 'sunday') && weekday === 0) return shiftDays(date, 1);
  if (shift === 'monday') {
    if (weekday === 6) return shiftDays(date, 2);
    if (weekday === 0) return shiftDays(date, 1);
    return shiftDays(date, 1 - weekday);
  }
  return date;
}

/**
 * The days a holiday closes in a year: its date, and the day it is observed on when a shift
 * moves it. For `monday` (a statute that names the Monday instead) only the Monday.
 */
export function holidayDates(holiday: Holiday, year: number): CalendarDate[] {
  if (holiday.since !== undefined && year < holiday.since) return [];
  const date = ruleDate(holiday.rule, year);
  const observed = observedDate(date, holiday.observed);
  if (holiday.observed === 'monday' || sameDate(date, observed)) return [observed];
  return [date, observed];
}

/** The first holiday of the list on that date (an observed day may fall in the year before). */
export function holidayOn(holidays: readonly Holiday[], date: CalendarDate): Holiday | null {
  for (const holiday of holidays) {
    for (const year of [date.year, date.year + 1]) {
      if (holidayDates(holiday, year).some((d) => sameDate(d, date))) return holiday;
    }
  }
  return null;
}
