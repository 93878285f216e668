import { holidayOn, type CalendarDate, type Holiday } from './holidays.ts';
import { STATE_HOLIDAYS } from './state-holidays.ts';

/**
 * Local sending windows, in minutes since local midnight; `end` is exclusive.
 * The federal window (TCPA, 47 CFR 64.1200(c)(1): no telephone solicitation before 8 a.m. or
 * after 9 p.m. at the called party's location) is a floor every send obeys: a campaign's own
 * window can only narrow it. States below are stricter. Sources: the state statutes named where
 * known, cross-checked against "State Calling Restrictions Guide" (dropcowboy.com/state-compliance,
 * updated Nov 2025). Assumption: these telephone-solicitation hours apply to marketing texts too
 * (Florida, Oklahoma and Mississippi say so expressly). Holiday lists: core/state-holidays.ts.
 */
export interface Window {
  start: number;
  end: number;
}

export interface StateRule {
  weekdays: Window;
  /** Overrides for Saturday / Sunday; null = no messages that day. */
  saturday?: Window | null;
  sunday?: Window | null;
  /** No messages at all on these days (the state's legal holidays). */
  holidays?: readonly Holiday[];
  /** The law the rule comes from. */
  source?: string;
}

const h = (start: number, end: number): Window => ({ start: start * 60, end: end * 60 });

export const FEDERAL_WINDOW: Window = h(8, 21);
export const FEDERAL_SOURCE = 'TCPA, 47 CFR 64.1200(c)(1)';

export const STATE_RULES: Readonly<Record<string, StateRule>> = {
  AL: {
    weekdays: h(8, 20),
    sunday: null,
    holidays: STATE_HOLIDAYS.ALABAMA,
    source: 'Ala. Admin. Code r. 770-X-5-.17(1)(b): none on Sundays or holidays, 8 a.m.–8 p.m.',
  },
  CT: { weekdays: h(9, 20) },
  FL: { weekdays: h(8, 20), source: 'Fla. Stat. § 501.616(6)(a)' },
  KY: { weekdays: h(10, 21) },
  LA: {
    weekdays: h(8, 20),
    sunday: null,
    holidays: STATE_HOLIDAYS.LOUISIANA,
    source:
      'La. R.S. 45:844.14 and LPSC General Order R-29617 § V(A)(2): none on Sundays or legal holidays (R.S. 1:55), 8 a.m.–8 p.m.',
  },
  MA: { weekdays: h(8, 20) },
  MD: { weekdays: h(8, 20), source: 'Maryland Stop the Spam Calls Act (2023)' },
  MI: { weekdays: h(9, 21) },
  MN: { weekdays: h(9, 21) },
  MS: {
    weekdays: h(8, 20),
    sunday: null,
    source: 'Miss. Code Ann. § 77-3-723(1): no telephone solicitation on a Sunday',
  },
  NM: { weekdays: h(9, 21) },
  NV: { weekdays: h(9, 20) },
  OK: { weekdays: h(8, 20), source: 'Okla. Stat. tit. 15, § 775C.4' },
  RI: {
    weekdays: h(9, 18),
    saturday: h(10, 17),
    sunday: null,
    holidays: STATE_HOLIDAYS.RHODE_ISLAND,
    source:
      'R.I. Gen. Laws §§ 5-61-3.6 and 5-61-2 ("hours of operation"): Mon–Fri 9 a.m.–6 p.m. except a state or federal holiday, Sat 10 a.m.–5 p.m.',
  },
  TX: { weekdays: h(9, 21), sunday: h(12, 21), source: 'Tex. Bus. & Com. Code § 301.051' },
  UT: {
    weekdays: h(8, 21),
    sunday: null,
    holidays: STATE_HOLIDAYS.UTAH,
    source:
      'Utah Code § 13-25a-103(3): not 9 p.m.–8 a.m., on a Sunday or on a legal holiday (63G-1-301)',
  },
};

const NAMES: Readonly<Record<string, string>> = {
  ALABAMA: 'AL',
  CONNECTICUT: 'CT',
  FLORIDA: 'FL',
  KENTUCKY: 'KY',
  LOUISIANA: 'LA',
  MASSACHUSETTS: 'MA',
  MARYLAND: 'MD',
  MICHIGAN: 'MI',
  MINNESOTA: 'MN',
  MISSISSIPPI: 'MS',
  'NEW MEXICO': 'NM',
  NEVADA: 'NV',
  OKLAHOMA: 'OK',
  'RHODE ISLAND': 'RI',
  TEXAS: 'TX',
  UTAH: 'UT',
};

/** Accepts "FL", "US-FL" or "Florida". */
export function stateRule(region: string | null): StateRule | null {
  if (region === null) return null;
  const key = region.trim().toUpperCase().replace(/^US-/, '');
  return STATE_RULES[NAMES[key] ?? key] ?? null;
}

export interface LocalDate extends CalendarDate {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** Why the law closes a whole local day for a state's residents, or null when it does not. */
export type ClosedDay = { kind: 'legal_holiday'; holiday: string } | { kind: 'sunday_ban' };

export function closedDay(rule: StateRule | null, date: LocalDate): ClosedDay | null {
  if (rule === null) return null;
  const holiday = holidayOn(rule.holidays ?? [], date);
  if (holiday !== null) return { kind: 'legal_holiday', holiday: holiday.name };
  return legalWindow(rule, date.weekday) === null ? { kind: 'sunday_ban' } : null;
}

function legalWindow(rule: StateRule | null, weekday: number): Window | null {
  let legal: Window | null = rule ? rule.weekdays : FEDERAL_WINDOW;
  if (rule && weekday === 6 && rule.saturday !== undefined) legal = rule.saturday;
  if (rule && weekday === 0 && rule.sunday !== undefined) legal = rule.sunday;
  return legal;
}

/**
 * The campaign window narrowed by the law for that local day: always the federal window, and
 * the state's rule (its hours for that weekday, its Sunday ban, its holidays). Null = closed.
 */
export function windowFor(
  campaign: Window,
  rule: StateRule | null,
  date: LocalDate,
): Window | null {
  if (closedDay(rule, date) !== null) return null;
  const legal = legalWindow(rule, date.weekday);
  if (legal === null) return null;
  const start = Math.max(campaign.start, legal.start, FEDERAL_WINDOW.start);
  const end = Math.min(campaign.end, legal.end, FEDERAL_WINDOW.end);
  return start < end ? { start, end } : null;
}
