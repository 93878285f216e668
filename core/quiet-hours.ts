import { closedDay, FEDERAL_WINDOW, stateRule, windowFor } from './quiet-hours-rules.ts';
import type { ClosedDay, StateRule, Window } from './quiet-hours-rules.ts';
import { addDays, isValidTimeZone, localParts, localToInstant } from './quiet-hours-time.ts';

export interface QuietHoursWindow {
  /** Local "HH:MM", inclusive. */
  start: string;
  /** Local "HH:MM", exclusive ("24:00" allowed). */
  end: string;
}

export const DEFAULT_WINDOW: QuietHoursWindow = { start: '08:00', end: '21:00' };

/**
 * When a recipient's zone is unknown or invalid, a send must be allowed in every one of
 * these zones at once (the most restrictive reading for a US number). Pass the campaign's
 * default zone alone to use it instead.
 */
export const US_TIME_ZONES: readonly string[] = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
];

export interface QuietHoursOptions {
  window?: QuietHoursWindow;
  fallbackTimeZones?: readonly string[];
}

export interface Recipient {
  timeZone: string | null;
  /** US state ("FL", "Florida") for stricter state rules. */
  region: string | null;
}

/**
 * Why a recipient cannot be texted now: outside the hours (`quiet_hours`), or the wait spans a
 * whole day the recipient's state closes (`legal_holiday`, `sunday_ban`).
 */
export type ClosedBecause = 'quiet_hours' | ClosedDay['kind'];

export type QuietHoursCheck =
  | { allowed: true }
  /** `opensAt` is null when the window never opens (e.g. an empty window). */
  | { allowed: false; opensAt: number | null; because: ClosedBecause; reason: string };

export function parseClock(value: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!match || Number(match[2]) > 59 || minutes > 24 * 60)
    throw new RangeError(`invalid time of day "${value}" (expected HH:MM)`);
  return minutes;
}

export function formatClock(minutes: number): string {
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  return `${hh}:${String(minutes % 60).padStart(2, '0')}`;
}

function toWindow(window: QuietHoursWindow): Window {
  return { start: parseClock(window.start), end: parseClock(window.end) };
}

/**
 * A campaign's window as it applies: narrowed to the federal 08:00–21:00 (a wider request is
 * accepted and clamped, never widened). Null when nothing of it is inside the federal window.
 */
export function effectiveWindow(window: QuietHoursWindow): QuietHoursWindow | null {
  const requested = toWindow(window);
  const start = Math.max(requested.start, FEDERAL_WINDOW.start);
  const end = Math.min(requested.end, FEDERAL_WINDOW.end);
  return start < end ? { start: formatClock(start), end: formatClock(end) } : null;
}

function allowedIn(
  instant: number,
  zone: string,
  campaign: Window,
  rule: StateRule | null,
): boolean {
  const local = localParts(instant, zone);
  const open = windowFor(campaign, rule, local);
  return open !== null && local.minuteOfDay >= open.start && local.minuteOfDay < open.end;
}

/** A state's closed days run a few in a row at most (a holiday beside a Sunday). */
const LOOK_AHEAD_DAYS = 14;

/** The first instant ≥ `instant` inside the window in one zone (looks two weeks ahead). */
function nextOpenIn(
  instant: number,
  zone: string,
  campaign: Window,
  rule: StateRule | null,
): number | null {
  if (allowedIn(instant, zone, campaign, rule)) return instant;
  const today = localParts(instant, zone);
  for (let offset = 0; offset <= LOOK_AHEAD_DAYS; offset += 1) {
    const date = addDays(today.year, today.month, today.day, offset);
    const open = windowFor(campaign, rule, date);
    if (open === null) continue;
    const at = localToInstant(date.year, date.month, date.day, open.start, zone);
    if (at > instant && allowedIn(at, zone, campaign, rule)) return at;
  }
  return null;
}

function zonesFor(recipient: Recipient, options: QuietHoursOptions): readonly string[] {
  if (recipient.timeZone !== null && isValidTimeZone(recipient.timeZone))
    return [recipient.timeZone];
  const fallback = (options.fallbackTimeZones ?? US_TIME_ZONES).filter(isValidTimeZone);
  return fallback.length > 0 ? fallback : US_TIME_ZONES;
}

/** The first instant ≥ now at which the recipient may be texted, or null if never. */
export function nextAllowedAt(
  now: number,
  recipient: Recipient,
  options: QuietHoursOptions = {},
): number | null {
  const campaign = toWindow(options.window ?? DEFAULT_WINDOW);
  const rule = stateRule(recipient.region);
  const zones = zonesFor(recipient, options);
  let t = now;
  // Each round jumps to the latest zone's opening; with several zones it converges quickly.
  for (let round = 0; round < 16; round += 1) {
    let latest = t;
    for (const zone of zones) {
      const open = nextOpenIn(t, zone, campaign, rule);
      if (open === null) return null;
      latest = Math.max(latest, open);
    }
    if (zones.every((zone) => allowedIn(latest, zone, campaign, rule))) return latest;
    t = latest;
  }
  return null;
}

/** The first day the recipient's state closes between `now` and `until` (local dates). */
function closedDayBetween(
  now: number,
  until: number | null,
  rule: StateRule | null,
  zones: readonly string[],
): ClosedDay | null {
  if (rule === null) return null;
  for (const zone of zones) {
    const from = localParts(now, zone);
    const to = until === null ? null : localParts(until, zone);
    for (let offset = 0; offset <= LOOK_AHEAD_DAYS; offset += 1) {
      const date = addDays(from.year, from.month, from.day, offset);
      const closed = closedDay(rule, date);
      if (closed !== null) return closed;
      if (to !== null && date.year === to.year && date.month === to.month && date.day === to.day)
        break;
    }
  }
  return null;
}

export function checkQuietHours(
  now: number,
  recipient: Recipient,
  options: QuietHoursOptions = {},
): QuietHoursCheck {
  const opensAt = nextAllowedAt(now, recipient, options);
  if (opensAt === now) return { allowed: true };
  const zones = zonesFor(recipient, options);
  const rule = stateRule(recipient.region);
  const closed = closedDayBetween(now, opensAt, rule, zones);
  const where = zones.join(', ');
  if (closed?.kind === 'legal_holiday')
    return {
      allowed: false,
      opensAt,
      because: 'legal_holiday',
      reason: `${closed.holiday}, a legal holiday in ${recipient.region ?? ''} (no marketing messages that day) in ${where}`,
    };
  if (closed?.kind === 'sunday_ban')
    return {
      allowed: false,
      opensAt,
      because: 'sunday_ban',
      reason: `Sunday: ${recipient.region ?? ''} law forbids marketing messages on Sundays in ${where}`,
    };
  const requested = options.window ?? DEFAULT_WINDOW;
  const window = effectiveWindow(requested) ?? requested;
  const state = rule ? ` and the rules of ${recipient.region}` : '';
  return {
    allowed: false,
    opensAt,
    because: 'quiet_hours',
    reason: `outside ${window.start}–${window.end}${state} in ${where}`,
  };
}
