import { sql } from 'kysely';
import type { ConsentCursor } from '../core/consent-cursor.ts';
import type { Db } from './connect.ts';
import type { ConsentAction, ConsentChannel, ConsentSource } from './tables.ts';

/** One consent event as the export shows it: the row, with its contact's phone. */
export interface ConsentEventRow {
  id: string;
  contact_id: string;
  phone: string;
  action: ConsentAction;
  channel: ConsentChannel;
  source: ConsentSource;
  keyword: string | null;
  detail: string | null;
  reason: string | null;
  campaign_id: string | null;
  message_id: string | null;
  inbound_message_id: string | null;
  created_at: Date;
  /** created_at in whole microseconds since the epoch (the keyset; see core/consent-cursor.ts). */
  created_us: string;
}

const columns = sql`
  ce.id::text AS id, ce.contact_id::text AS contact_id, c.phone, ce.action, ce.channel, ce.source,
  ce.keyword, ce.detail, ce.reason, ce.campaign_id::text AS campaign_id,
  ce.message_id::text AS message_id, ce.inbound_message_id::text AS inbound_message_id,
  ce.created_at, (extract(epoch FROM ce.created_at) * 1000000)::bigint::text AS created_us`;

export interface ConsentPageQuery {
  /** Events at or after this time. */
  since: Date | null;
  /** Events after this one (the last of the previous page). */
  after: ConsentCursor | null;
  limit: number;
}

/** Consent events oldest first, by (created_at, id) over index `consent_events_created`. */
export async function consentEventsPage(
  db: Db,
  query: ConsentPageQuery,
): Promise<ConsentEventRow[]> {
  const since = query.since === null ? sql`TRUE` : sql`ce.created_at >= ${query.since}`;
  const after =
    query.after === null
      ? sql`TRUE`
      : sql`(ce.created_at, ce.id) >
            (timestamptz 'epoch' + ${query.after.createdUs}::bigint * interval '1 microsecond', ${query.after.id}::bigint)`;
  const result = await sql<ConsentEventRow>`
    SELECT ${columns}
      FROM consent_events ce JOIN contacts c ON c.id = ce.contact_id
     WHERE ${since} AND ${after}
     ORDER BY ce.created_at, ce.id
     LIMIT ${query.limit}`.execute(db);
  return result.rows;
}

/** A contact's consent events, newest first, at most `limit`. */
export async function contactConsentHistory(
  db: Db,
  contactId: string,
  limit: number,
): Promise<ConsentEventRow[]> {
  const result = await sql<ConsentEventRow>`
    SELECT ${columns}
      FROM consent_events ce JOIN contacts c ON c.id = ce.contact_id
     WHERE ce.contact_id = ${contactId}
     ORDER BY ce.created_at DESC, ce.id DESC
     LIMIT ${limit}`.execute(db);
  return result.rows;
}

/** One consent event by id. */
export async function consentEvent(db: Db, id: string): Promise<ConsentEventRow | undefined> {
  const result = await sql<ConsentEventRow>`
    SELECT ${columns}
      FROM consent_events ce JOIN contacts c ON c.id = ce.contact_id
     WHERE ce.id = ${id}`.execute(db);
  return result.rows[0];
}

export interface ContactConsent {
  id: string;
  phone: string;
  opted_out_at: Date | null;
}

/** A contact's consent state, by id or phone. */
export async function contactConsent(
  db: Db,
  contact: { id: string } | { phone: string },
): Promise<ContactConsent | undefined> {
  return db
    .selectFrom('contacts')
    .select(['id', 'phone', 'opted_out_at'])
    .$if('id' in contact, (q) => q.where('id', '=', 'id' in contact ? contact.id : '0'))
    .$if('phone' in contact, (q) => q.where('phone', '=', 'phone' in contact ? contact.phone : ''))
    .executeTakeFirst();
}
