import { sql, type SqlBool } from 'kysely';
import type { Db } from './connect.ts';

export interface InboxFilters {
  /** The last message is the contact's, and no person has answered it since. */
  needsReply?: boolean;
  assignedTo?: string;
  campaignId?: string;
  state?: 'open' | 'closed';
  /** The channel of the last message: `sms`, `imessage`, `rcs`. */
  channel?: string;
  /** Part of the contact's name or phone. */
  search?: string;
}

/**
 * Where a page ends: the last row's activity time, as PostgreSQL's own text (microseconds
 * kept: a JavaScript Date would round them and skip rows), and its id.
 */
export interface InboxCursor {
  at: string;
  id: string;
}

export interface InboxRow {
  id: string;
  contact: { id: string; phone: string; name: string | null; opted_out_at: Date | null };
  campaign_id: string | null;
  /** The contact's sticky Blooio line, once handed off or answered. */
  line: string | null;
  state: 'open' | 'closed';
  status: string;
  assigned_to: string | null;
  needs_reply: boolean;
  unread: number;
  last_message: {
    direction: 'inbound' | 'outbound';
    channel: string;
    body: string;
    author: string | null;
    at: Date;
  } | null;
  last_activity_at: Date;
  /** This row as a cursor: the next page starts after it. */
  cursor: InboxCursor;
}

const NAME = sql<string>`NULLIF(trim(concat_ws(' ', c.attributes->>'first_name',
  c.attributes->>'last_name', c.attributes->>'name')), '')`;

const NEEDS_REPLY = sql<SqlBool>`(cv.last_inbound_at IS NOT NULL
  AND cv.last_inbound_at > COALESCE(cv.last_agent_at, '-infinity')
  AND cv.closed_at IS NULL AND c.opted_out_at IS NULL)`;

/** Messages the contact sent since the conversation was last read. */
const UNREAD = sql<number>`(SELECT count(*)::int FROM inbound_messages im
  WHERE im.contact_id = cv.contact_id AND im.received_at > COALESCE(cv.last_read_at, '-infinity'))`;

/**
 * One page of the inbox, newest activity first. The last message is the newest of what the
 * contact sent and what was sent on the conversation's line (campaign SMS are not in it).
 */
export async function listInbox(
  db: Db,
  filters: InboxFilters,
  after: InboxCursor | null,
  limit: number,
): Promise<InboxRow[]> {
  const conditions = [sql<SqlBool>`true`];
  if (filters.needsReply === true) conditions.push(NEEDS_REPLY);
  if (filters.needsReply === false) conditions.push(sql<SqlBool>`NOT ${NEEDS_REPLY}`);
  if (filters.assignedTo !== undefined)
    conditions.push(sql<SqlBool>`cv.assigned_to = ${filters.assignedTo}`);
  if (filters.campaignId !== undefined)
    conditions.push(sql<SqlBool>`cv.campaign_id = ${filters.campaignId}`);
  if (filters.state === 'open') conditions.push(sql<SqlBool>`cv.closed_at IS NULL`);
  if (filters.state === 'closed') conditions.push(sql<SqlBool>`cv.closed_at IS NOT NULL`);
  if (filters.channel !== undefined)
    conditions.push(sql<SqlBool>`last.channel = ${filters.channel}`);
  if (filters.search !== undefined) {
    const pattern = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const digits = filters.search.replace(/\D/g, '');
    conditions.push(
      digits.length >= 3
        ? sql<SqlBool>`(${NAME} ILIKE ${pattern} OR c.phone LIKE ${`%${digits}%`})`
        : sql<SqlBool>`${NAME} ILIKE ${pattern}`,
    );
  }
  if (after !== null)
    conditions.push(
      sql<SqlBool>`(cv.last_activity_at, cv.id) < (${after.at}::timestamptz, ${after.id}::bigint)`,
    );
  const rows = await sql<RawRow>`
    SELECT cv.id::text, c.id::text AS contact_id, c.phone, ${NAME} AS name, c.opted_out_at,
           cv.campaign_id, n.phone AS line, cv.status, cv.assigned_to,
           cv.closed_at IS NOT NULL AS closed, ${NEEDS_REPLY} AS needs_reply,
           ${UNREAD} AS unread,
           last.direction, last.channel, last.body, last.author, last.at AS last_at,
           cv.last_activity_at, cv.last_activity_at::text AS activity_key
      FROM conversations cv
      JOIN contacts c ON c.id = cv.contact_id
      LEFT JOIN sender_numbers n ON n.id = cv.number_id
      LEFT JOIN LATERAL (
        SELECT * FROM (
          (SELECT 'inbound' AS direction,
                  CASE WHEN im.provider = 'twilio' THEN 'sms'
                       ELSE COALESCE(lower(im.protocol), 'imessage') END AS channel,
                  im.body, NULL::text AS author, im.received_at AS at
             FROM inbound_messages im WHERE im.contact_id = cv.contact_id
            ORDER BY im.received_at DESC LIMIT 1)
          UNION ALL
          (SELECT 'outbound', COALESCE(lower(cm.protocol), cm.channel), cm.body, cm.author,
                  cm.created_at
             FROM conversation_messages cm WHERE cm.conversation_id = cv.id
            ORDER BY cm.id DESC LIMIT 1)
        ) candidates ORDER BY at DESC LIMIT 1
      ) last ON true
     WHERE ${sql.join(conditions, sql` AND `)}
     ORDER BY cv.last_activity_at DESC, cv.id DESC
     LIMIT ${limit}`.execute(db);
  return rows.rows.map(toInboxRow);
}

interface RawRow {
  id: string;
  contact_id: string;
  phone: string;
  name: string | null;
  opted_out_at: Date | null;
  campaign_id: string | null;
  line: string | null;
  status: string;
  assigned_to: string | null;
  closed: boolean;
  needs_reply: boolean;
  unread: number;
  direction: 'inbound' | 'outbound' | null;
  channel: string | null;
  body: string | null;
  author: string | null;
  last_at: Date | null;
  last_activity_at: Date;
  activity_key: string;
}

function toInboxRow(row: RawRow): InboxRow {
  return {
    id: row.id,
    contact: {
      id: row.contact_id,
      phone: row.phone,
      name: row.name,
      opted_out_at: row.opted_out_at,
    },
    campaign_id: row.campaign_id,
    line: row.line,
    state: row.closed ? 'closed' : 'open',
    status: row.status,
    assigned_to: row.assigned_to,
    needs_reply: row.needs_reply,
    unread: row.unread,
    last_message:
      row.direction === null || row.last_at === null
        ? null
        : {
            direction: row.direction,
            channel: row.channel ?? 'sms',
            body: row.body ?? '',
            author: row.author,
            at: row.last_at,
          },
    last_activity_at: row.last_activity_at,
    cursor: { at: row.activity_key, id: row.id },
  };
}

export type InboxChange =
  | { kind: 'read'; at: Date }
  | { kind: 'assign'; agent: string | null; at: Date }
  | { kind: 'close'; at: Date }
  | { kind: 'reopen'; at: Date };

/** Applies an agent's change to the contact's conversation; false when there is none. */
export async function changeConversation(
  db: Db,
  contactId: string,
  change: InboxChange,
): Promise<boolean> {
  const update = db.updateTable('conversations').where('contact_id', '=', contactId);
  const at = change.at;
  const query =
    change.kind === 'read'
      ? update.set({ last_read_at: at, updated_at: at })
      : change.kind === 'assign'
        ? update.set({ assigned_to: change.agent, assigned_at: at, updated_at: at })
        : change.kind === 'close'
          ? update.set({ closed_at: sql`COALESCE(closed_at, ${at})`, updated_at: at })
          : update.set({ closed_at: null, updated_at: at });
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface ConversationState {
  contact_id: string;
  state: 'open' | 'closed';
  assigned_to: string | null;
  last_read_at: Date | null;
  needs_reply: boolean;
  unread: number;
}

/** The inbox state of a contact's conversation, found by contact id or phone. */
export async function conversationState(
  db: Db,
  contact: { id: string } | { phone: string },
): Promise<ConversationState | undefined> {
  const match =
    'id' in contact ? sql`c.id = ${contact.id}::bigint` : sql`c.phone = ${contact.phone}`;
  const row = await sql<ConversationState & { closed: boolean }>`
    SELECT c.id::text AS contact_id, cv.closed_at IS NOT NULL AS closed, cv.assigned_to,
           cv.last_read_at, ${NEEDS_REPLY} AS needs_reply,
           ${UNREAD} AS unread
      FROM conversations cv JOIN contacts c ON c.id = cv.contact_id
     WHERE ${match}`.execute(db);
  const found = row.rows[0];
  if (found === undefined) return undefined;
  const { closed, ...rest } = found;
  return { ...rest, state: closed ? 'closed' : 'open' };
}
