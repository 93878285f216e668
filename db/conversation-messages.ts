import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ConversationMessage, Database } from './tables.ts';

export interface OutboundDraft {
  conversationId: string;
  channel: 'imessage' | 'sms';
  idempotencyKey: string;
  from: string | null;
  to: string;
  body: string;
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

const RANK = sql`CASE s WHEN 'queued' THEN 1 WHEN 'sending' THEN 2 WHEN 'sent' THEN 3
                        WHEN 'delivered' THEN 4 WHEN 'failed' THEN 4 ELSE 0 END`;

/**
 * A Blooio `message.status`: stored as an event once (duplicates dropped) and applied to the
 * conversation message monotonically (a late `sent` never overwrites `delivered`). Returns the
 * contact whose conversation it belongs to, if known.
 */
export async function applyBlooioStatus(
  db: Kysely<Database>,
  event: {
    messageId: string;
    status: string;
    protocol: string | null;
    error: string | null;
    payload: Record<string, unknown>;
  },
): Promise<{ duplicate: boolean; contactId: string | null }> {
  const result = await sql<{ stored: boolean; contact_id: string | null }>`
    WITH stored AS (
      INSERT INTO message_events (provider, provider_sid, status, error_code, dedupe_key, payload, applied_at)
      VALUES ('blooio', ${event.messageId}, ${event.status}, NULL,
              ${`blooio:${event.messageId}:${event.status}`}, ${JSON.stringify(event.payload)}, now())
      ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
    ), applied AS (
      UPDATE conversation_messages cm
         SET status = ${event.status}, protocol = COALESCE(${event.protocol}, cm.protocol),
             error = COALESCE(${event.error}, cm.error), updated_at = now()
       WHERE cm.provider_sid = ${event.messageId} AND EXISTS (SELECT 1 FROM stored)
         AND (SELECT ${RANK} FROM (SELECT cm.status AS s) x) < (SELECT ${RANK} FROM (SELECT ${event.status}::text AS s) y)
      RETURNING cm.id
    )
    SELECT EXISTS (SELECT 1 FROM stored) AS stored,
           (SELECT cv.contact_id::text FROM conversation_messages cm
              JOIN conversations cv ON cv.id = cm.conversation_id
             WHERE cm.provider_sid = ${event.messageId}) AS contact_id`.execute(db);
  const row = result.rows[0];
  return { duplicate: row?.stored !== true, contactId: row?.contact_id ?? null };
}
