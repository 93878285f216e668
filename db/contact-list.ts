import { sql } from 'kysely';
import type { ListCursor } from '../core/list-cursor.ts';
import type { Db } from './connect.ts';
import { containsPattern } from './like-pattern.ts';

/** Attributes a name search looks in (the usual CSV headers for a person's name). */
export const NAME_ATTRIBUTES = ['name', 'first_name', 'last_name', 'full_name'] as const;

export interface ContactListQuery {
  /** Part of the phone (digits), or part of a name attribute, case-insensitive. */
  q: string | null;
  /** Every one of these attribute values (the contact's latest values). */
  attributes: Record<string, string>;
  /** Members of this audience only. */
  audienceId: string | null;
  after: ListCursor | null;
  limit: number;
}

export interface ContactListRow {
  id: string;
  phone: string;
  country: string;
  area_code: string | null;
  region: string | null;
  time_zone: string | null;
  attributes: Record<string, string>;
  opted_out_at: Date | null;
  created_at: Date;
}

/** Digits of a search that reads as (part of) a phone: "+1 (415) 555" → "1415555". */
function phoneDigits(q: string): string | null {
  if (!/^[+\d\s().-]+$/.test(q)) return null;
  const digits = q.replace(/\D/g, '');
  return digits.length >= 3 ? digits : null;
}

/** Contacts in id order (oldest first), filtered; one page after `after`. */
export async function contactsPage(db: Db, query: ContactListQuery): Promise<ContactListRow[]> {
  const conditions = [sql`TRUE`];
  if (query.q !== null) {
    const digits = phoneDigits(query.q);
    const pattern = containsPattern(query.q);
    conditions.push(
      digits !== null
        ? sql`c.phone LIKE ${containsPattern(digits)}`
        : sql`(${sql.join(
            NAME_ATTRIBUTES.map((key) => sql`c.attributes ->> ${key} ILIKE ${pattern}`),
            sql` OR `,
          )} OR concat_ws(' ', c.attributes ->> 'first_name', c.attributes ->> 'last_name') ILIKE ${pattern})`,
    );
  }
  if (Object.keys(query.attributes).length > 0)
    conditions.push(sql`c.attributes @> ${JSON.stringify(query.attributes)}::jsonb`);
  if (query.audienceId !== null)
    conditions.push(
      sql`EXISTS (SELECT 1 FROM audience_members m
                   WHERE m.audience_id = ${query.audienceId} AND m.contact_id = c.id)`,
    );
  if (query.after !== null) conditions.push(sql`c.id > ${query.after.id}::bigint`);
  const result = await sql<ContactListRow>`
    SELECT c.id::text AS id, c.phone, c.country, c.area_code, c.region, c.time_zone, c.attributes,
           c.opted_out_at, c.created_at
      FROM contacts c
     WHERE ${sql.join(conditions, sql` AND `)}
     ORDER BY c.id
     LIMIT ${query.limit}`.execute(db);
  return result.rows;
}
