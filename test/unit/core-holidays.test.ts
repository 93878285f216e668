import { describe, expect, it } from 'vitest';
import {
  easterSunday,
  holidayDates,
  holidayOn,
  nthWeekday,
  type CalendarDate,
  type Holiday,
} from '../../core/holidays.ts';
import { STATE_HOLIDAYS } from '../../core/state-holidays.ts';

const date = (iso: string): CalendarDate => {
  const [year, month, day] = iso.split('-').map(Number);
  return { year: year ?? 0, month: month ?? 0, day: day ?? 0 };
};
const iso = (d: CalendarDate) =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
const named = (holidays: readonly Holiday[], name: string): Holiday => {
  const found = holidays.find((holiday) => holiday.name === name);
  if (found === undefined) throw new Error(`no holiday ${name}`);
  return found;
};
const datesOf = (holiday: Holiday, years: number[]) =>
  years.map((year) => holidayDates(holiday, year).map(iso));
const YEARS = [2025, 2026, 2027, 2028, 2029, 2030];

describe('holiday dates are computed for any year', () => {
  it('Easter Sunday by the Gregorian computus', () => {
    expect(YEARS.map((year) => iso(easterSunday(year)))).toEqual([
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
      '2029-04-01',
      '2030-04-21',
    ]);
    // Its extremes: 22 March (1818, 2285) and 25 April (1943, 2038).
    expect(iso(easterSunday(2285))).toBe('2285-03-22');
    expect(iso(easterSunday(2038))).toBe('2038-04-25');
  });

  it('Mardi Gras and Good Friday from Easter (Louisiana)', () => {
    const la = STATE_HOLIDAYS.LOUISIANA;
    expect(datesOf(named(la, 'Mardi Gras'), YEARS)).toEqual([
      ['2025-03-04'],
      ['2026-02-17'],
      ['2027-02-09'],
      ['2028-02-29'],
      ['2029-02-13'],
      ['2030-03-05'],
    ]);
    expect(datesOf(named(la, 'Good Friday'), YEARS)).toEqual([
      ['2025-04-18'],
      ['2026-04-03'],
      ['2027-03-26'],
      ['2028-04-14'],
      ['2029-03-30'],
      ['2030-04-19'],
    ]);
  });

  it('nth and last weekdays: MLK Day, Memorial Day, Labor Day, Thanksgiving', () => {
    const ri = STATE_HOLIDAYS.RHODE_ISLAND;
    expect(datesOf(named(ri, 'Birthday of Martin Luther King, Jr.'), YEARS).flat()).toEqual([
      '2025-01-20',
      '2026-01-19',
      '2027-01-18',
      '2028-01-17',
      '2029-01-15',
      '2030-01-21',
    ]);
    expect(datesOf(named(ri, 'Memorial Day'), YEARS).flat()).toEqual([
      '2025-05-26',
      '2026-05-25',
      '2027-05-31',
      '2028-05-29',
      '2029-05-28',
      '2030-05-27',
    ]);
    expect(datesOf(named(ri, 'Labor Day'), YEARS).flat()).toEqual([
      '2025-09-01',
      '2026-09-07',
      '2027-09-06',
      '2028-09-04',
      '2029-09-03',
      '2030-09-02',
    ]);
    expect(datesOf(named(ri, 'Thanksgiving Day'), YEARS).flat()).toEqual([
      '2025-11-27',
      '2026-11-26',
      '2027-11-25',
      '2028-11-23',
      '2029-11-22',
      '2030-11-28',
    ]);
    expect(datesOf(named(ri, 'Victory Day'), [2025, 2026]).flat()).toEqual([
      '2025-08-11',
      '2026-08-10',
    ]);
    // Last Monday of a month whose last day is a Monday.
    expect(iso(nthWeekday(2027, 5, 1, -1))).toBe('2027-05-31');
  });

  it('observed days: Saturday → Friday, Sunday → Monday, across the year boundary', () => {
    const ut = STATE_HOLIDAYS.UTAH;
    // 24 July 2027 is a Saturday: Friday the 23rd is the holiday too.
    expect(holidayDates(named(ut, 'Pioneer Day'), 2027).map(iso)).toEqual([
      '2027-07-24',
      '2027-07-23',
    ]);
    // Christmas 2022 was a Sunday: Monday the 26th.
    expect(holidayDates(named(ut, 'Christmas'), 2022).map(iso)).toEqual([
      '2022-12-25',
      '2022-12-26',
    ]);
    // 1 January 2028 is a Saturday: it is observed on Friday 31 December 2027.
    expect(holidayOn(ut, date('2027-12-31'))?.name).toBe("New Year's Day");
    expect(holidayOn(ut, date('2027-12-30'))).toBeNull();
  });

  it("Utah's Juneteenth is a Monday: the one before (Tue–Fri) or after (weekend)", () => {
    const juneteenth = named(STATE_HOLIDAYS.UTAH, 'Juneteenth National Freedom Day');
    expect(datesOf(juneteenth, [2025, 2026, 2027, 2028]).flat()).toEqual([
      '2025-06-16',
      '2026-06-15',
      '2027-06-21',
      '2028-06-19',
    ]);
    expect(holidayOn(STATE_HOLIDAYS.UTAH, date('2025-06-19'))).toBeNull();
  });

  it('a holiday made law in a given year is not applied before it', () => {
    const goodFriday = named(STATE_HOLIDAYS.UTAH, 'Good Friday');
    expect(holidayDates(goodFriday, 2025)).toEqual([]);
    expect(holidayDates(goodFriday, 2026).map(iso)).toEqual(['2026-04-03']);
  });

  it('finds Alabama state holidays by date', () => {
    const al = STATE_HOLIDAYS.ALABAMA;
    expect(holidayOn(al, date('2026-04-27'))?.name).toBe('Confederate Memorial Day');
    expect(holidayOn(al, date('2026-06-01'))?.name).toBe('Birthday of Jefferson Davis');
    expect(holidayOn(al, date('2026-12-25'))?.name).toBe('Christmas Day');
    expect(holidayOn(al, date('2026-12-24'))).toBeNull();
  });
});
