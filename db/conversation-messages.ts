import { sql, type RawBuilder } from 'kysely';
import type { Kysely } from 'kysely';
import type { ConversationMessage, Database } from './tables.ts';

export interface OutboundDraft {
  conversationId: string;
  channel: 'imessage' | 'sms';
  idempotencyKey: string;
  from: string | null;
  to: string;
  body: string;
  /** The agent who wrote it (an inbox answer); tandem's own messages have none. */
  author?: string | null;
  mediaUrls?: readonly string[];
}

/** The outgoing message for an idempotency key: created once, then the same row every time. */
export async function reserveOutbound(
  db: Kysely<Database>,
  draft: OutboundDraft,
): Promise<ConversationMessage> {
  await db
    .insertInto('conversation_messages')
    .values({
      conversation_id: draft.conversationId,
      channel: draft.channel,
      idempotency_key: draft.idempotencyKey,
      from_phone: draft.from,
      to_phone: draft.to,
      body: draft.body,
      author: draft.author ?? null,
      media_urls:
        draft.mediaUrls === undefined || draft.mediaUrls.length === 0
          ? null
          : JSON.stringify(draft.mediaUrls),
    })
    .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
    .execute();
  return db
    .selectFrom('conversation_messages')
    .selectAll()
    .where('idempotency_key', '=', draft.idempotencyKey)
    .executeTakeFirstOrThrow();
}

export async function markOutboundAccepted(
  db: Kysely<Database>,
  id: string,
  accepted: { sid: string; from: string | null; protocol: string | null; status: string },
): Promise<void> {
  await db
    .updateTable('conversation_messages')
    .set({
      provider_sid: accepted.sid,
      from_phone: accepted.from,
      protocol: accepted.protocol,
      status: accepted.status,
      error: null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function markOutboundFailed(
  db: Kysely<Database>,
  id: string,
  error: string,
): Promise<void> {
  await db
    .updateTable('conversation_messages')
    .set({ status: 'failed', error, updated_at: new Date() })
    .where('id', '=', id)
    .where('provider_sid', 'is', null)
    .execute();
}

/** Order of Blooio statuses: a status applies only over a lower one. */
function rank(status: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`CASE ${status} WHEN 'queued' THEN 1 WHEN 'sending' THEN 2 WHEN 'sent' THEN 3
                      WHEN 'delivered' THEN 4 WHEN 'failed' THEN 4 ELSE 0 END`;
}

export interface BlooioStatusEvent {
  messageId: string;
  status: string;
  protocol: string | null;
  error: string | null;
  payload: Record<string, unknown>;
}

/**
 * Blooio `message.status` events, in one statement: each stored once (duplicates dropped,
 * also within the batch) and applied to its conversation message monotonically (a late `sent`
 * never overwrites `delivered`; of one batch, the highest status applies). For each event:
 * whether it was a duplicate, and the contact whose conversation it belongs to, if known.
 */
export async function applyBlooioStatuses(
  db: Kysely<Database>,
  events: readonly BlooioStatusEvent[],
): Promise<{ duplicate: boolean; contactId: string | null }[]> {
  if (events.length === 0) return [];
  const result = await sql<{
    ord: string;
    dedupe_key: string;
    stored: boolean;
    contact_id: string | null;
  }>`
    WITH input AS (
      SELECT i.*, 'blooio:' || i.message_id || ':' || i.status AS dedupe_key
        FROM unnest(${events.map((event) => event.messageId)}::text[],
                    ${events.map((event) => event.status)}::text[],
                    ${events.map((event) => event.protocol)}::text[],
                    ${events.map((event) => event.error)}::text[],
                    ${events.map((event) => JSON.stringify(event.payload))}::jsonb[])
             WITH ORDINALITY AS i(message_id, status, protocol, error, payload, ord)
    ), stored AS (
      INSERT INTO message_events (provider, provider_sid, status, error_code, dedupe_key, payload, applied_at)
      SELECT 'blooio', message_id, status, NULL, dedupe_key, payload, now() FROM input ORDER BY ord
      ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key
    ), best AS (
      SELECT DISTINCT ON (i.message_id) i.message_id, i.status, i.protocol, i.error
        FROM input i WHERE i.dedupe_key IN (SELECT dedupe_key FROM stored)
       ORDER BY i.message_id, ${rank(sql`i.status`)} DESC, i.ord
    ), applied AS (
      UPDATE conversation_messages cm
         SET status = best.status, protocol = COALESCE(best.protocol, cm.protocol),
             error = COALESCE(best.error, cm.error), updated_at = now()
        FROM best
       WHERE cm.provider_sid = best.message_id AND ${rank(sql`cm.status`)} < ${rank(sql`best.status`)}
      RETURNING cm.id
    )
    SELECT i.ord::text AS ord, i.dedupe_key, i.dedupe_key IN (SELECT dedupe_key FROM stored) AS stored,
           cv.contact_id::text AS contact_id
      FROM input i
      LEFT JOIN conversation_messages cm ON cm.provider_sid = i.message_id
      LEFT JOIN conversations cv ON cv.id = cm.conversation_id`.execute(db);
  const byOrdinal = new Map(result.rows.map((row) => [Number(row.ord), row]));
  const firstOfKey = new Set<string>();
  return events.map((_event, index) => {
    const row = byOrdinal.get(index + 1);
    const fresh = row?.stored === true && !firstOfKey.has(row.dedupe_key);
    if (row !== undefined) firstOfKey.add(row.dedupe_key);
    return { duplicate: !fresh, contactId: row?.contact_id ?? null };
  });
}
