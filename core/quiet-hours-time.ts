/** Wall-clock arithmetic in IANA zones with Intl only (no tz database of our own). */

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  /** Minutes since local midnight, fractional seconds included. */
  minuteOfDay: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * A batch asks for the same instant in the same few zones once per recipient, and
 * `formatToParts` is the costliest step of a send's quiet-hours check: the last few hundred
 * answers are kept.
 */
const recentParts = new Map<string, Readonly<LocalParts>>();
const RECENT_PARTS_KEPT = 512;

export function localParts(instant: number, timeZone: string): Readonly<LocalParts> {
  const key = `${instant}|${timeZone}`;
  let parts = recentParts.get(key);
  if (parts === undefined) {
    if (recentParts.size >= RECENT_PARTS_KEPT) recentParts.clear();
    parts = Object.freeze(computeLocalParts(instant, timeZone));
    recentParts.set(key, parts);
  }
  return parts;
}

function computeLocalParts(instant: number, timeZone: string): LocalParts {
  const values: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) values[part.type] = part.value;
  const num = (key: string): number => Number(values[key] ?? 0);
  const ms = ((instant % 1000) + 1000) % 1000;
  return {
    year: num('year'),
    month: num('month'),
    day: num('day'),
    minuteOfDay: num('hour') * 60 + num('minute') + (num('second') + ms / 1000) / 60,
    weekday: WEEKDAYS.indexOf(values['weekday'] ?? ''),
  };
}

/** Zone offset (ms, local − UTC) in force at `instant`. */
function offsetAt(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, 0, p.minuteOfDay) - instant;
}

/**
 * The instant a local wall time occurs. A wall time skipped by a DST jump resolves to the
 * instant of the jump (the first instant after it); a repeated one to its first occurrence.
 */
export function localToInstant(
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
  timeZone: string,
): number {
  const wall = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  const [early, late] = first < second ? [first, second] : [second, first];
  if (early + offsetAt(early, timeZone) === wall) return early;
  if (late + offsetAt(late, timeZone) === wall) return late;
  // In a gap: binary-search the transition between the two candidate instants.
  const after = offsetAt(late, timeZone);
  let lo = early;
  let hi = late;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid, timeZone) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The calendar date `days` after the given one. */
export function addDays(
  year: number,
  month: number,
  day: number,
  days: number,
): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
  };
}
