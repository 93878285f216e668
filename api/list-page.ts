import { z } from 'zod';
import { parseSince } from '../core/consent-cursor.ts';
import {
  decodeListCursor,
  encodeListCursor,
  type ListCursor,
  type ListName,
} from '../core/list-cursor.ts';
import { ApiError } from './errors.ts';

/** `limit` and `cursor`, shared by every operator list (campaigns, audiences, contacts). */
export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .describe('Rows per page (1–500, 50 by default)'),
  cursor: z.string().max(200).optional().describe('`next_cursor` of the previous page'),
};

export const nextCursor = z
  .string()
  .nullable()
  .describe('Pass as `cursor` for the next page; null: this was the last page');

/** The decoded `cursor` query parameter (null when absent); 400 for one this list never gave. */
export function readCursor(list: ListName, text: string | undefined): ListCursor | null {
  if (text === undefined) return null;
  const cursor = decodeListCursor(list, text);
  if (cursor === null)
    throw new ApiError(400, 'invalid_cursor', 'cursor is not a next_cursor this list gave out');
  return cursor;
}

/**
 * One page from `limit + 1` rows read: the first `limit`, and the cursor after the last of
 * them when there was one more (so the last page never points at an empty one).
 */
export function toPage<T>(
  list: ListName,
  rows: readonly T[],
  limit: number,
  cursorOf: (row: T) => ListCursor,
): { rows: T[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    next_cursor:
      rows.length > limit && last !== undefined ? encodeListCursor(list, cursorOf(last)) : null,
  };
}

/** A time filter's value: ISO 8601 with its offset, or a date (midnight UTC); see parseSince. */
export const isoTime = z
  .string()
  .max(40)
  .refine(
    (text) => parseSince(text) !== null,
    'an ISO 8601 time with its offset (2026-12-05T08:00:00Z) or a date (2026-12-05)',
  )
  .transform((text) => parseSince(text) ?? new Date(Number.NaN));
