import type { Holiday, HolidayRule } from './holidays.ts';

/**
 * Legal holidays of the states whose telephone-solicitation law forbids such messages on a
 * legal holiday (the ban itself is cited in quiet-hours-rules.ts). Each list is the state's own
 * holiday statute, computed by rule (core/holidays.ts).
 *
 * Not modelled, and why:
 * - Holidays a governor or the President proclaims for one year (Utah 63G-1-301(1)(a)(vi),
 *   Louisiana's one-off proclamations such as 3 July 2023): no rule to compute them from.
 * - Local holidays below the state, where a number does not say the place: Louisiana's
 *   Inauguration Day (Baton Rouge only) and the parish-level "every Saturday" of R.S. 1:55(A)(1)
 *   (Orleans and other parishes). Alabama's Mardi Gras is the law of Baldwin and Mobile
 *   counties only; it is kept for the whole state, the stricter reading.
 * - Observed-day shifts where the statute gives none (Alabama § 1-3-8, Louisiana R.S. 1:55(A)):
 *   only the date itself is closed there.
 * - Mississippi: the Public Service Commission's holiday ban (39 Miss. Admin. Code Pt. I,
 *   R. 1:28) was repealed when enforcement moved to the Attorney General (HB 1225, 2023); its
 *   Sunday ban (Miss. Code Ann. § 77-3-723(1)) stays, so it has no holiday list.
 * - Alabama's Juneteenth (proclaimed yearly, not in § 1-3-8 as found): not added.
 * - Rhode Island's § 5-61-2 excepts holidays from its Monday–Friday hours only; a holiday that
 *   falls on a Saturday (4 July 2026) closes that Saturday here too, the stricter reading.
 */

const fixed = (month: number, day: number): HolidayRule => ({ kind: 'fixed', month, day });
const nth = (n: number, weekday: number, month: number): HolidayRule => ({
  kind: 'nth_weekday',
  month,
  weekday,
  n,
});
const LAST = -1;
const [MON, THU] = [1, 4];
const easter = (offset: number): HolidayRule => ({ kind: 'easter', offset });

/** Ala. Code § 1-3-8 (as listed by the Alabama Department of Archives and History). */
const ALABAMA: readonly Holiday[] = [
  { name: "New Year's Day", rule: fixed(1, 1) },
  { name: 'Birthdays of Robert E. Lee / Martin Luther King Jr.', rule: nth(3, MON, 1) },
  { name: 'Birthdays of George Washington / Thomas Jefferson', rule: nth(3, MON, 2) },
  { name: 'Mardi Gras (Baldwin and Mobile counties)', rule: easter(-47) },
  { name: 'Confederate Memorial Day', rule: nth(4, MON, 4) },
  { name: 'National Memorial Day', rule: nth(LAST, MON, 5) },
  { name: 'Birthday of Jefferson Davis', rule: nth(1, MON, 6) },
  { name: 'Independence Day', rule: fixed(7, 4) },
  { name: 'Labor Day', rule: nth(1, MON, 9) },
  { name: 'Columbus Day / Fraternal Day / American Indian Heritage Day', rule: nth(2, MON, 10) },
  { name: 'Veterans Day', rule: fixed(11, 11) },
  { name: 'Thanksgiving Day', rule: nth(4, THU, 11) },
  { name: 'Christmas Day', rule: fixed(12, 25) },
];

/** La. R.S. 1:55(A)(1), days of public rest and legal holidays (statewide ones). */
const LOUISIANA: readonly Holiday[] = [
  { name: "New Year's Day", rule: fixed(1, 1) },
  { name: 'Battle of New Orleans', rule: fixed(1, 8) },
  { name: "Dr. Martin Luther King, Jr.'s Birthday", rule: nth(3, MON, 1) },
  { name: "Washington's Birthday and Presidents' Day", rule: nth(3, MON, 2) },
  { name: 'Mardi Gras', rule: easter(-47) },
  { name: 'Good Friday', rule: easter(-2) },
  { name: 'National Memorial Day', rule: nth(LAST, MON, 5) },
  { name: 'Independence Day', rule: fixed(7, 4) },
  { name: 'Huey P. Long Day', rule: fixed(8, 30) },
  { name: 'Labor Day', rule: nth(1, MON, 9) },
  { name: 'Christopher Columbus Day', rule: nth(2, MON, 10) },
  { name: "All Saints' Day", rule: fixed(11, 1) },
  { name: "Veterans' Day", rule: fixed(11, 11) },
  { name: 'Thanksgiving Day', rule: nth(4, THU, 11) },
  { name: 'Christmas Day', rule: fixed(12, 25) },
];

/**
 * Utah Code 63G-1-301(1)–(2) (2025 and 2026 versions): fixed dates move Saturday → Friday and
 * Sunday → Monday; Juneteenth is the Monday of (or after) its week; Good Friday from the 2026
 * amendment (effective 6 May 2026). Easter Sunday is a Sunday, closed anyway.
 */
const UTAH: readonly Holiday[] = [
  { name: "New Year's Day", rule: fixed(1, 1), observed: 'weekend' },
  { name: 'Dr. Martin Luther King, Jr. Day', rule: nth(3, MON, 1) },
  { name: "Washington and Lincoln Day (Presidents' Day)", rule: nth(3, MON, 2) },
  { name: 'Good Friday', rule: easter(-2), since: 2026 },
  { name: 'Memorial Day', rule: nth(LAST, MON, 5) },
  { name: 'Juneteenth National Freedom Day', rule: fixed(6, 19), observed: 'monday' },
  { name: 'Independence Day', rule: fixed(7, 4), observed: 'weekend' },
  { name: 'Pioneer Day', rule: fixed(7, 24), observed: 'weekend' },
  { name: 'Labor Day', rule: nth(1, MON, 9) },
  { name: 'Columbus Day', rule: nth(2, MON, 10) },
  { name: 'Veterans Day', rule: fixed(11, 11), observed: 'weekend' },
  { name: 'Thanksgiving Day', rule: nth(4, THU, 11) },
  { name: 'Christmas', rule: fixed(12, 25), observed: 'weekend' },
];

/**
 * R.I. Gen. Laws § 5-61-2 closes "a state or federal holiday": the federal legal public
 * holidays (5 U.S.C. § 6103(a), observed Saturday → Friday, Sunday → Monday) and Rhode
 * Island's own (§ 5-23-1 lists them, "or on any day which any enumerated holiday is
 * officially celebrated"): Victory Day, the second Monday of August.
 */
const RHODE_ISLAND: readonly Holiday[] = [
  { name: "New Year's Day", rule: fixed(1, 1), observed: 'weekend' },
  { name: 'Birthday of Martin Luther King, Jr.', rule: nth(3, MON, 1) },
  { name: "Washington's Birthday", rule: nth(3, MON, 2) },
  { name: 'Memorial Day', rule: nth(LAST, MON, 5) },
  { name: 'Juneteenth National Independence Day', rule: fixed(6, 19), observed: 'weekend' },
  { name: 'Independence Day', rule: fixed(7, 4), observed: 'weekend' },
  { name: 'Victory Day', rule: nth(2, MON, 8) },
  { name: 'Labor Day', rule: nth(1, MON, 9) },
  { name: 'Columbus Day', rule: nth(2, MON, 10) },
  { name: 'Veterans Day', rule: fixed(11, 11), observed: 'weekend' },
  { name: 'Thanksgiving Day', rule: nth(4, THU, 11) },
  { name: 'Christmas Day', rule: fixed(12, 25), observed: 'weekend' },
];

export const STATE_HOLIDAYS = { ALABAMA, LOUISIANA, UTAH, RHODE_ISLAND } as const;
