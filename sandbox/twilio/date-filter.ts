/** A span of time, in epoch milliseconds, both ends included. */
export interface Period {
  readonly start: number;
  readonly end: number;
}

// YYYY, YYYY-MM, YYYY-MM-DD, then an optional time (T or space) down to fractions of a second and
// an optional zone. A space before the zone is a `+` that arrived unencoded in a query string.
const ISO =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+ -]\d{2}(?::?\d{2})?)?)?)?)?$/i;
// `Wed, 19 Jun 2019 22:04:00 -0000` and `06/11/2019 22:05:25 MST`, each with an optional zone.
const RFC_2822 =
  /^(?:[a-z]{3}, ?)?\d{1,2} [a-z]{3} \d{4} \d{2}:\d{2}(?::\d{2})?( (?:[+-]\d{4}|[a-z]{1,3}))?$/i;
const US = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}(?::\d{2})?( (?:[+-]\d{4}|[a-z]{1,3}))?$/i;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 86_400_000;

/**
 * The period a `DateSent` value names, read in GMT as Twilio documents (`YYYY-MM-DD`), and the
 * other forms Twilio accepts: ISO 8601 timestamps (what the SDK sends for a Date), RFC 2822 and
 * `MM/DD/YYYY hh:mm:ss ZONE`. A value without a zone is GMT, never the server's local time. A day
 * covers the whole day, a timestamp its own second (or instant, with fractions). Null: invalid.
 */
export function parseDatePeriod(value: string): Period | null {
  const text = value.trim().replace(/\s+/g, ' ');
  const iso = ISO.exec(text);
  if (iso !== null) return isoPeriod(iso);
  const legacy = RFC_2822.exec(text) ?? US.exec(text);
  if (legacy === null) return null;
  const instant = Date.parse(legacy[1] === undefined ? `${text} GMT` : text);
  if (Number.isNaN(instant)) return null;
  const start = instant - (instant % SECOND);
  return { start, end: start + SECOND - 1 };
}

/** The whole UTC days a period touches: what `DateSent=` matches. */
export function wholeDays(period: Period): Period {
  return {
    start: period.start - (period.start % DAY),
    end: period.end - (period.end % DAY) + DAY - 1,
  };
}

function isoPeriod(match: RegExpExecArray): Period | null {
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const y = Number(year);
  const mo = Number(month ?? 1);
  const d = Number(day ?? 1);
  const h = Number(hour ?? 0);
  const mi = Number(minute ?? 0);
  const s = Number(second ?? 0);
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * SECOND);
  const start = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const parsed = new Date(start);
  if (parsed.getUTCMonth() !== mo - 1 || parsed.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return null;
  }
  const offset = zoneOffsetMs(zone);
  if (offset === null) return null;
  // The period lasts until the least significant unit given would next change.
  let next = start + 1;
  if (month === undefined) next = Date.UTC(y + 1, 0, 1);
  else if (day === undefined) next = Date.UTC(y, mo, 1);
  else if (hour === undefined) next = start + DAY;
  else if (second === undefined) next = start + MINUTE;
  else if (fraction === undefined) next = start + SECOND;
  return { start: start - offset, end: next - 1 - offset };
}

function zoneOffsetMs(zone: string | undefined): number | null {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) return null;
  return sign * (hours * 60 + minutes) * MINUTE;
}
