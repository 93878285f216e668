import { sql } from 'kysely';
import type { Db } from './connect.ts';
import type { MessageStatus, NumberState, Provider } from './tables.ts';

export interface StickyNumberRow {
  pool_id: string;
  pool_name: string;
  provider: Provider;
  number_id: string;
  phone: string;
  state: NumberState;
  assigned_at: Date;
}

/** The contact's remembered sender in each pool (SMS numbers and Blooio lines alike). */
export async function stickyNumbersOf(db: Db, contactId: string): Promise<StickyNumberRow[]> {
  const result = await sql<StickyNumberRow>`
    SELECT s.pool_id, p.name AS pool_name, p.provider, n.id::text AS number_id, n.phone, n.state,
           s.assigned_at
      FROM sticky_senders s
      JOIN pools p ON p.id = s.pool_id
      JOIN sender_numbers n ON n.id = s.number_id
     WHERE s.contact_id = ${contactId}
     ORDER BY s.assigned_at, s.pool_id`.execute(db);
  return result.rows;
}

/** The line the contact's conversation uses, when it was handed off. */
export async function conversationLineOf(
  db: Db,
  contactId: string,
): Promise<{ number_id: string; phone: string; pool_id: string; state: NumberState } | undefined> {
  const result = await sql<{
    number_id: string;
    phone: string;
    pool_id: string;
    state: NumberState;
  }>`
    SELECT n.id::text AS number_id, n.phone, n.pool_id, n.state
      FROM conversations cv JOIN sender_numbers n ON n.id = cv.number_id
     WHERE cv.contact_id = ${contactId}`.execute(db);
  return result.rows[0];
}

export interface ContactMessageRow {
  id: string;
  campaign_id: string;
  campaign_name: string;
  step: number;
  from_phone: string | null;
  body: string | null;
  status: MessageStatus;
  error_code: number | null;
  skip_reason: string | null;
  created_at: Date;
  sent_at: Date | null;
  updated_at: Date;
}

/** The contact's campaign messages, newest first (index messages_contact), after `beforeId`. */
export async function contactMessagesPage(
  db: Db,
  contactId: string,
  page: { beforeId: string | null; limit: number },
): Promise<ContactMessageRow[]> {
  const before = page.beforeId === null ? sql`TRUE` : sql`m.id < ${page.beforeId}::bigint`;
  const result = await sql<ContactMessageRow>`
    SELECT m.id::text AS id, m.campaign_id, c.name AS campaign_name, m.step, m.from_phone, m.body,
           m.status, m.error_code, m.skip_reason, m.created_at, m.sent_at, m.updated_at
      FROM messages m JOIN campaigns c ON c.id = m.campaign_id
     WHERE m.contact_id = ${contactId} AND ${before}
     ORDER BY m.id DESC
     LIMIT ${page.limit}`.execute(db);
  return result.rows;
}
