/**
 * The page cursor of the operator lists (campaigns, audiences, contacts): the sort key of a
 * page's last row, opaque to callers, in the style of core/consent-cursor.ts. Times are whole
 * microseconds, as PostgreSQL stores them (a JavaScript Date keeps milliseconds, which would
 * return a row twice or skip one). Each list names itself in the cursor, so a cursor of one
 * list given to another is refused rather than read as a position it never was.
 */
export type ListName = 'campaigns' | 'audiences' | 'contacts' | 'contact_messages';

/** A row's position: its time in microseconds since the epoch (or null), and its id. */
export interface ListCursor {
  atUs: string | null;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BIGINT = /^\d{1,18}$/;
/** The shape of each list's row id: a cursor's id is checked before it reaches SQL. */
const ID: Record<ListName, RegExp> = {
  campaigns: UUID,
  audiences: UUID,
  contacts: BIGINT,
  contact_messages: BIGINT,
};

export function encodeListCursor(list: ListName, cursor: ListCursor): string {
  return Buffer.from(`l1.${list}.${cursor.atUs ?? ''}.${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor, or null when `text` is not one this list gave out. */
export function decodeListCursor(list: ListName, text: string): ListCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  const parts = Buffer.from(text, 'base64url').toString().split('.');
  if (parts.length !== 4 || parts[0] !== 'l1' || parts[1] !== list) return null;
  const [, , at = '', id = ''] = parts;
  if (at !== '' && !/^-?\d{1,19}$/.test(at)) return null;
  if (!ID[list].test(id)) return null;
  return { atUs: at === '' ? null : at, id };
}
