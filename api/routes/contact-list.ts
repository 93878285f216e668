import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contactsPage, NAME_ATTRIBUTES } from '../../db/contact-list.ts';
import type { ApiDeps } from '../deps.ts';
import { nextCursor, pageQuery, readCursor, toPage } from '../list-page.ts';

const ATTRIBUTE = /^([A-Za-z0-9_.-]{1,64}):(.{0,200})$/s;

/** `attribute=plan:pro`, repeated for several (all must match). */
const attributeFilter = z
  .preprocess(
    (value) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]),
    z
      .array(
        z
          .string()
          .regex(ATTRIBUTE, 'attribute filters are key:value (key: letters, digits, _ . -)'),
      )
      .max(20),
  )
  .optional()
  .transform((filters) => {
    const wanted: Record<string, string> = {};
    for (const filter of filters ?? []) {
      const match = ATTRIBUTE.exec(filter);
      if (match?.[1] !== undefined && match[2] !== undefined) wanted[match[1]] = match[2];
    }
    return wanted;
  })
  .describe(
    "key:value, e.g. plan:pro: contacts whose latest value of that attribute is exactly that; repeat the parameter for several (all must match). Keys are the audience CSV's headers as stored (lower case, _ for spaces)",
  );

const contactListQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe(
      `Search: digits (with + ( ) - and spaces) match part of the phone; anything else part of a name attribute (${NAME_ATTRIBUTES.join(', ')}), case-insensitive`,
    ),
  attribute: attributeFilter,
  audience_id: z.uuid().optional().describe('Members of this audience only'),
  ...pageQuery,
});

const contactSummary = z
  .object({
    id: z.string(),
    phone: z.string(),
    country: z.string(),
    area_code: z.string().nullable(),
    region: z.string().nullable(),
    time_zone: z.string().nullable(),
    attributes: z.record(z.string(), z.string()).describe('The latest values'),
    opted_out: z.boolean(),
    opted_out_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({
    examples: [
      {
        id: '1042',
        phone: '+14155550123',
        country: 'US',
        area_code: '415',
        region: 'CA',
        time_zone: 'America/Los_Angeles',
        attributes: { first_name: 'Ada', plan: 'pro' },
        opted_out: false,
        opted_out_at: null,
        created_at: '2026-12-06T08:00:00.000Z',
      },
    ],
  });

/** `GET /v1/contacts`: contacts in id order, searched and filtered, a page at a time. */
export const contactListRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db }) => {
  app.get(
    '/contacts',
    {
      schema: {
        summary: 'List contacts (phone or name search, attribute and audience filters)',
        querystring: contactListQuery,
        response: { 200: z.object({ contacts: z.array(contactSummary), next_cursor: nextCursor }) },
      },
    },
    async (request) => {
      const { q, attribute, audience_id: audienceId, limit, cursor } = request.query;
      const rows = await contactsPage(db, {
        q: q ?? null,
        attributes: attribute,
        audienceId: audienceId ?? null,
        after: readCursor('contacts', cursor),
        limit: limit + 1,
      });
      const page = toPage('contacts', rows, limit, (row) => ({ atUs: null, id: row.id }));
      return {
        contacts: page.rows.map((row) => ({
          ...row,
          opted_out: row.opted_out_at !== null,
          opted_out_at: row.opted_out_at?.toISOString() ?? null,
          created_at: row.created_at.toISOString(),
        })),
        next_cursor: page.next_cursor,
      };
    },
  );
};
