import type { InboxCursor } from '../db/inbox.ts';
import { ApiError } from './errors.ts';

const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

/** The inbox's page cursor: the last row's activity time and id, opaque to callers. */
export function encodeInboxCursor(cursor: InboxCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

export function decodeInboxCursor(value: string): InboxCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    Array.isArray(parsed) &&
    typeof parsed[0] === 'string' &&
    PG_TIMESTAMPTZ.test(parsed[0]) &&
    typeof parsed[1] === 'string' &&
    /^\d{1,18}$/.test(parsed[1])
  )
    return { at: parsed[0], id: parsed[1] };
  throw new ApiError(400, 'invalid_cursor', 'cursor is not one this API returned');
}
