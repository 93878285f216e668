/**
 * The consent export pages by keyset over (created_at, id). The cursor carries the last row's
 * time in whole microseconds, as PostgreSQL stores it (a JavaScript Date keeps milliseconds,
 * which would return a row twice or skip one), and its id; it is opaque to callers.
 */
export interface ConsentCursor {
  /** created_at as microseconds since the Unix epoch, in decimal. */
  createdUs: string;
  id: string;
}

const PREFIX = 'c1.';

export function encodeConsentCursor(cursor: ConsentCursor): string {
  return Buffer.from(`${PREFIX}${cursor.createdUs}.${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor, or null when `text` is not one this API gave out. */
export function decodeConsentCursor(text: string): ConsentCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  const match = /^c1\.(-?\d{1,19})\.(\d{1,19})$/.exec(Buffer.from(text, 'base64url').toString());
  if (match?.[1] === undefined || match[2] === undefined) return null;
  return { createdUs: match[1], id: match[2] };
}

/**
 * An ISO 8601 time with its offset (`2026-12-05T08:00:00Z`, `…+01:00`, fractions allowed), or a
 * date alone (midnight UTC). Null for anything else, so a typo is refused, not read as a guess.
 */
export function parseSince(text: string): Date | null {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(
    text,
  );
  if (!dateOnly && !dateTime) return null;
  // Date rolls 2026-02-31 over to March: refuse a day the calendar does not have.
  const [year = 0, month = 0, day = 0] = text.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  const at = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  return Number.isNaN(at.getTime()) ? null : at;
}
