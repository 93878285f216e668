import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ConsentChannel, ConsentSource, Database } from './tables.ts';
import { emitWebhookEvents } from './webhook-events.ts';

export interface ConsentChange {
  /** The contact (created for an unknown sender who opts out, so the opt-out lasts). */
  contactId: string;
  channel: ConsentChannel;
  source: ConsentSource;
  keyword: string | null;
  /** The exact inbound text, carrier error or operator request behind the change. */
  detail: string | null;
  /** An operator's stated reason. */
  reason?: string | null;
  campaignId?: string | null;
  /** The outbound message whose send or status made the change. */
  messageId?: string | null;
  inboundMessageId: string | null;
  at: Date;
}

export interface OptOutResult {
  /** False when the contact was already opted out. */
  changed: boolean;
  /** The consent event recorded (one is, changed or not: the request itself is a fact). */
  eventId: string;
  /** Pending sends of any campaign that were dropped. */
  droppedPending: number;
}

/** The contact id for a phone, creating a bare contact when the sender is unknown. */
export async function ensureContact(
  db: Kysely<Database>,
  phone: string,
  country: string,
): Promise<string> {
  const row = await db
    .insertInto('contacts')
    .values({ phone, country, attributes: '{}' })
    .onConflict((conflict) => conflict.column('phone').doUpdateSet({ updated_at: new Date() }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Opts a contact out of every campaign at once: marks the contact, logs the request, drops
 * every pending send (skipped, reason `opted_out`) and closes pending hand-offs. Run it in
 * the same transaction as storing the message that asked for it.
 */
export async function optOut(db: Kysely<Database>, change: ConsentChange): Promise<OptOutResult> {
  await lockContact(db, change.contactId);
  const updated = await db
    .updateTable('contacts')
    .set({ opted_out_at: change.at, updated_at: change.at })
    .where('id', '=', change.contactId)
    .where('opted_out_at', 'is', null)
    .returning(['id', 'phone'])
    .executeTakeFirst();
  const eventId = await logChange(db, change, 'opt_out');
  const dropped = await db
    .updateTable('messages')
    .set({
      status: 'skipped',
      skip_reason: 'opted_out',
      final_at: change.at,
      updated_at: change.at,
    })
    .where('contact_id', '=', change.contactId)
    .where('status', '=', 'pending')
    .where('provider_sid', 'is', null)
    .executeTakeFirst();
  await sql`
    WITH closed AS (
      UPDATE conversations SET status = 'opted_out', updated_at = ${change.at}
       WHERE contact_id = ${change.contactId} RETURNING id
    )
    UPDATE conversation_handoffs SET status = 'skipped', error = 'opted_out'
     WHERE conversation_id IN (SELECT id FROM closed) AND status = 'pending'`.execute(db);
  if (updated !== undefined) await notifyOptedOut(db, change, updated.phone);
  return {
    changed: updated !== undefined,
    eventId,
    droppedPending: Number(dropped.numUpdatedRows),
  };
}

/**
 * Opts a contact back in (START, UNSTOP, or YES from an opted-out contact). Returns the consent
 * event recorded, or null when the contact was not opted out (nothing is recorded then).
 */
export async function optIn(db: Kysely<Database>, change: ConsentChange): Promise<string | null> {
  await lockContact(db, change.contactId);
  const updated = await db
    .updateTable('contacts')
    .set({ opted_out_at: null, updated_at: change.at })
    .where('id', '=', change.contactId)
    .where('opted_out_at', 'is not', null)
    .returning('id')
    .executeTakeFirst();
  if (updated === undefined) return null;
  const eventId = await logChange(db, change, 'opt_in');
  await db
    .updateTable('conversations')
    .set({ status: 'open', updated_at: change.at })
    .where('contact_id', '=', change.contactId)
    .where('status', '=', 'opted_out')
    .execute();
  return eventId;
}

/**
 * Every consent change of a contact takes its row first: an operator's opt-in, which reads the
 * opt-outs recorded since the last opt-in to decide whether it may, then cannot interleave with
 * a STOP being recorded for an already opted-out contact (whose UPDATE alone would lock nothing).
 */
async function lockContact(db: Kysely<Database>, contactId: string): Promise<void> {
  await db.selectFrom('contacts').select('id').where('id', '=', contactId).forUpdate().execute();
}

async function logChange(
  db: Kysely<Database>,
  change: ConsentChange,
  action: 'opt_out' | 'opt_in',
): Promise<string> {
  const row = await db
    .insertInto('consent_events')
    .values({
      contact_id: change.contactId,
      action,
      channel: change.channel,
      source: change.source,
      keyword: change.keyword,
      detail: change.detail,
      reason: change.reason ?? null,
      campaign_id: change.campaignId ?? null,
      message_id: change.messageId ?? null,
      inbound_message_id: change.inboundMessageId,
      created_at: change.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** `contact.opted_out` for the operator's endpoints, once per opt-out (not per repeated STOP). */
async function notifyOptedOut(
  db: Kysely<Database>,
  change: ConsentChange,
  phone: string,
): Promise<void> {
  const data = {
    contact: { id: change.contactId, phone },
    channel: change.channel,
    source: change.source,
    keyword: change.keyword,
    detail: change.detail,
    reason: change.reason ?? null,
    campaign_id: change.campaignId ?? null,
    message_id: change.messageId ?? null,
    inbound_message_id: change.inboundMessageId,
    opted_out_at: change.at.toISOString(),
  };
  await emitWebhookEvents(db, 'contact.opted_out', [{ orderingKey: phone, data }], change.at);
}
