/**
 * Time zones that put "now" at a chosen local hour, for tests and benches that must send at
 * once whatever the wall clock says: every send obeys the federal 08:00–21:00 in the
 * recipient's zone (core/quiet-hours-rules.ts), so a contact in UTC could not be texted at
 * 23:00 UTC. Etc/GMT zones have whole-hour offsets from UTC-12 to UTC+14 and no DST.
 */
export function zoneAtLocalHour(hour: number, now: Date = new Date()): string {
  let offset = (hour - now.getUTCHours() + 24) % 24;
  if (offset > 14) offset -= 24;
  // Etc/GMT zones are named with the sign reversed: Etc/GMT-5 is UTC+5.
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/**
 * Early afternoon (14:xx) when the test file loads: seven hours of sending before 21:00, and
 * six back to 08:00 for a clock that runs behind real time.
 */
export const DAYTIME_ZONE = zoneAtLocalHour(14);
