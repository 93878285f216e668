import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  decodeConsentCursor,
  encodeConsentCursor,
  parseSince,
  type ConsentCursor,
} from '../../core/consent-cursor.ts';
import { csvRecord } from '../../core/csv-write.ts';
import { consentEventsPage, type ConsentEventRow } from '../../db/consent-events.ts';
import type { Db } from '../../db/connect.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import {
  CONSENT_CSV_COLUMNS,
  consentCsvQuery,
  consentPage,
  consentQuery,
  presentConsentEvent,
} from '../schemas/consent.ts';

/** Rows the CSV export reads per query while it streams. */
const CSV_PAGE = 1000;

function since(text: string | undefined): Date | null {
  if (text === undefined) return null;
  const at = parseSince(text);
  if (at === null)
    throw new ApiError(
      400,
      'invalid_since',
      'since must be an ISO 8601 time with its offset (2026-12-05T08:00:00Z) or a date (2026-12-05)',
    );
  return at;
}

function cursor(text: string | undefined): ConsentCursor | null {
  if (text === undefined) return null;
  const decoded = decodeConsentCursor(text);
  if (decoded === null)
    throw new ApiError(400, 'invalid_cursor', 'cursor is not a next_cursor this API gave out');
  return decoded;
}

const cursorOf = (row: ConsentEventRow): ConsentCursor => ({
  createdUs: row.created_us,
  id: row.id,
});

/** Every event from `from` on, page by page, as CSV lines after the header: never all in memory. */
async function* csvLines(db: Db, from: Date | null): AsyncGenerator<string> {
  yield csvRecord(CONSENT_CSV_COLUMNS);
  let after: ConsentCursor | null = null;
  for (;;) {
    const rows = await consentEventsPage(db, { since: from, after, limit: CSV_PAGE });
    for (const row of rows) {
      const view = presentConsentEvent(row);
      yield csvRecord(CONSENT_CSV_COLUMNS.map((column) => view[column]));
    }
    const last = rows.at(-1);
    if (rows.length < CSV_PAGE || last === undefined) return;
    after = cursorOf(last);
  }
}

/**
 * `GET /v1/consent-events`: every consent change, oldest first, a page at a time; and
 * `GET /v1/consent-events.csv`: the same rows as one CSV file, streamed.
 */
export const consentEventRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db }) => {
  app.get(
    '/consent-events',
    {
      schema: {
        summary: 'Consent events (opt-outs and opt-ins, every source), oldest first',
        querystring: consentQuery,
        response: { 200: consentPage },
      },
    },
    async (request) => {
      const { limit } = request.query;
      const rows = await consentEventsPage(db, {
        since: since(request.query.since),
        after: cursor(request.query.cursor),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        events: page.map(presentConsentEvent),
        next_cursor:
          rows.length > limit && last !== undefined ? encodeConsentCursor(cursorOf(last)) : null,
      };
    },
  );

  app.get(
    '/consent-events.csv',
    {
      schema: {
        summary: 'The consent events as CSV (header line, RFC 4180 quoting), streamed',
        querystring: consentCsvQuery,
      },
    },
    async (request, reply) => {
      const from = since(request.query.since);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="consent-events.csv"')
        .send(Readable.from(csvLines(db, from)));
    },
  );
};
