import { sql } from 'kysely';
import type { RetryPolicy } from '../core/carrier-errors.ts';
import type { WaitReason } from '../core/wait-reason.ts';
import type { Db } from './connect.ts';
import { GLOBAL_SUPPRESSION_LIST, type Message } from './tables.ts';

/** The contact a one-off goes to, as sending it needs to know them. */
export interface OneOffRecipient {
  id: string;
  phone: string;
  area_code: string | null;
  region: string | null;
  time_zone: string | null;
  opted_out: boolean;
  /** On the global suppression list (a one-off honours no other). */
  suppressed: boolean;
}

/**
 * The contact of `phone`, created with the geography given when tandem never met them (an
 * existing contact keeps theirs: an import may have set a better time zone).
 */
export async function oneOffRecipient(
  db: Db,
  contact: {
    phone: string;
    country: string;
    areaCode: string | null;
    region: string | null;
    timeZone: string | null;
  },
): Promise<OneOffRecipient> {
  await db
    .insertInto('contacts')
    .values({
      phone: contact.phone,
      country: contact.country,
      area_code: contact.areaCode,
      region: contact.region,
      time_zone: contact.timeZone,
      attributes: '{}',
    })
    .onConflict((conflict) => conflict.column('phone').doNothing())
    .execute();
  const result = await sql<OneOffRecipient>`
    SELECT c.id::text AS id, c.phone, c.area_code, c.region, c.time_zone,
           c.opted_out_at IS NOT NULL AS opted_out,
           EXISTS (SELECT 1 FROM suppression_entries e
                    WHERE e.list_id = ${GLOBAL_SUPPRESSION_LIST} AND e.phone = c.phone) AS suppressed
      FROM contacts c WHERE c.phone = ${contact.phone}`.execute(db);
  const row = result.rows[0];
  if (row === undefined) throw new Error(`contact ${contact.phone} vanished after its insert`);
  return row;
}

/** A one-off as accepted: its sender and slot when it may go now, else when and why it waits. */
export interface NewOneOff {
  poolId: string;
  contactId: string;
  toPhone: string;
  body: string;
  segments: number;
  mediaUrls: readonly string[];
  retryPolicy: RetryPolicy;
  requestedFrom: string | null;
  sender: { numberId: string; fromPhone: string; reason: string; slotAt: Date } | null;
  deferral: { at: Date; reason: WaitReason; detail: string | null } | null;
}

export async function insertOneOff(db: Db, message: NewOneOff): Promise<Message> {
  const { sender, deferral } = message;
  return db
    .insertInto('messages')
    .values({
      campaign_id: null,
      step: 0,
      pool_id: message.poolId,
      contact_id: message.contactId,
      to_phone: message.toPhone,
      body: message.body,
      segments: message.segments,
      media_urls: message.mediaUrls.length === 0 ? null : JSON.stringify(message.mediaUrls),
      retry_policy: JSON.stringify(message.retryPolicy),
      requested_from: message.requestedFrom,
      from_number_id: sender?.numberId ?? null,
      from_phone: sender?.fromPhone ?? null,
      sender_reason: sender?.reason ?? null,
      slot_at: sender?.slotAt ?? null,
      next_attempt_at: deferral?.at ?? null,
      wait_reason: deferral?.reason ?? null,
      wait_detail: deferral?.detail ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findMessage(db: Db, id: string): Promise<Message | undefined> {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The pool's live number of this phone, if it has one. */
export async function poolNumberByPhone(
  db: Db,
  poolId: string,
  phone: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('sender_numbers')
    .select('id')
    .where('pool_id', '=', poolId)
    .where('phone', '=', phone)
    .where('state', '<>', 'retired')
    .executeTakeFirst();
}
