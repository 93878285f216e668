/**
 * When a carrier says its event happened, from a webhook's `timestamp` field: Unix
 * milliseconds (what Blooio sends), Unix seconds, or an ISO 8601 string. Null when absent or
 * unreadable: such a webhook has no lag to measure.
 */
export function carrierEventTime(value: unknown): Date | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    // Seconds since 1970 stay below 1e11 until the year 5138; milliseconds passed it in 1973.
    return new Date(value < 1e11 ? value * 1000 : value);
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const numeric = Number(value);
    if (Number.isFinite(numeric)) return carrierEventTime(numeric);
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : new Date(parsed);
  }
  return null;
}
