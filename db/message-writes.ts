import { sql } from 'kysely';
import type { NumberRate } from '../core/gcra.ts';
import type { MessageStatus } from '../core/message-status.ts';
import type { Settlement } from '../core/send-outcome.ts';
import type { WaitReason } from '../core/wait-reason.ts';
import type { Db } from './connect.ts';
import { statusIs, statusLit } from './status-sql.ts';
import { PREPARED } from './prepared.ts';

// The batched writes of the send pipeline: each a single statement over many rows. Every
// write is a compare-and-set on the state the writer read (status and claim token): a
// writer that was superseded (its activity timed out and ran again elsewhere) changes nothing.

/** The state of a row as its writer last saw it. */
export interface RowState {
  id: string;
  status: MessageStatus;
  claimToken: string | null;
}

const idsOf = (rows: readonly { row: RowState }[]) => rows.map(({ row }) => row.id);
const statuses = (rows: readonly { row: RowState }[]) => rows.map(({ row }) => row.status);
const tokens = (rows: readonly { row: RowState }[]) => rows.map(({ row }) => row.claimToken);

/** The compare-and-set: the row is still as `v` (id, status, token) says its writer saw it. */
const unchanged = sql`m.id = v.id AND m.status = v.status AND m.claim_token IS NOT DISTINCT FROM v.token AND m.provider_sid IS NULL`;

/** Rows that will not be sent (opted out, template problem), with the reason. */
export async function markSkipped(
  db: Db,
  skips: readonly { row: RowState; reason: string }[],
): Promise<void> {
  if (skips.length === 0) return;
  await sql`${PREPARED}
    UPDATE messages m SET status = ${statusLit('skipped')}, skip_reason = v.reason, next_attempt_at = NULL,
           wait_reason = NULL, final_at = now(), updated_at = now()
      FROM unnest(${idsOf(skips)}::bigint[], ${statuses(skips)}::text[], ${tokens(skips)}::uuid[],
                  ${skips.map((s) => s.reason)}::text[]) AS v(id, status, token, reason)
     WHERE ${unchanged}`.execute(db);
}

/** A row to try again at a later time, and why it waits until then. */
export interface Deferral {
  row: RowState;
  at: Date;
  reason: WaitReason;
  /** Which holiday or ban (`legal_holiday`, `sunday_ban`); absent for other reasons. */
  detail?: string | null;
}

/** Rows to try again at a later time (quiet hours, no healthy sender yet). Not an attempt. */
export async function markDeferred(db: Db, deferrals: readonly Deferral[]): Promise<void> {
  if (deferrals.length === 0) return;
  await sql`${PREPARED}
    UPDATE messages m SET status = ${statusLit('pending')}, next_attempt_at = v.at, wait_reason = v.reason,
           wait_detail = v.detail, updated_at = now()
      FROM unnest(${idsOf(deferrals)}::bigint[], ${statuses(deferrals)}::text[], ${tokens(deferrals)}::uuid[],
                  ${deferrals.map((d) => d.at.toISOString())}::timestamptz[], ${deferrals.map((d) => d.reason)}::text[],
                  ${deferrals.map((d) => d.detail ?? null)}::text[])
           AS v(id, status, token, at, reason, detail)
     WHERE ${unchanged}`.execute(db);
}

export interface Claim {
  row: RowState;
  numberId: string;
  fromPhone: string;
  body: string;
  segments: number;
  /** Media sent with it (an MMS); absent or empty: none. */
  mediaUrls?: readonly string[];
  /** Why its sender was chosen, when this claim chose it. */
  senderReason?: string | null;
  /** Until then no one else touches the row: its send must have ended by this time. */
  leaseUntil: Date;
}

/**
 * Claims rows for one send with `token`: `sending`, their sender and text, and the lease.
 * Not an attempt yet (nothing has left tandem). Returns the ids claimed: a row another
 * sender changed since it was read is not.
 */
export async function claimRows(
  db: Db,
  token: string,
  claims: readonly Claim[],
): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const result = await sql<{ id: string }>`${PREPARED}
    UPDATE messages m SET status = ${statusLit('sending')}, claim_token = ${token}::uuid, carrier_absent_at = NULL,
           from_number_id = v.number_id,
           from_phone = v.from_phone, body = v.body, segments = v.segments, next_attempt_at = v.lease_until,
           media_urls = v.media::jsonb, sender_reason = COALESCE(v.reason, m.sender_reason),
           slot_at = NULL, wait_reason = NULL, updated_at = now()
      FROM unnest(${idsOf(claims)}::bigint[], ${statuses(claims)}::text[], ${tokens(claims)}::uuid[],
                  ${claims.map((c) => c.numberId)}::bigint[], ${claims.map((c) => c.fromPhone)}::text[],
                  ${claims.map((c) => c.body)}::text[], ${claims.map((c) => c.segments)}::int[],
                  ${claims.map((c) => c.leaseUntil.toISOString())}::timestamptz[],
                  ${claims.map((c) => (c.mediaUrls === undefined || c.mediaUrls.length === 0 ? null : JSON.stringify(c.mediaUrls)))}::text[],
                  ${claims.map((c) => c.senderReason ?? null)}::text[])
           AS v(id, status, token, number_id, from_phone, body, segments, lease_until, media, reason)
     WHERE ${unchanged}
    RETURNING m.id::text AS id`.execute(db);
  return new Set(result.rows.map((row) => row.id));
}

/** Extends a claim's lease (its slot moved later). False when the claim is no longer ours. */
export async function renewLease(
  db: Db,
  token: string,
  id: string,
  leaseUntil: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('messages')
    .set({ next_attempt_at: leaseUntil, updated_at: new Date() })
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .where('status', '=', 'sending' satisfies MessageStatus)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Claimed rows never sent (the campaign was paused): due again at once, not an attempt. */
export async function releaseClaims(
  db: Db,
  token: string,
  messageIds: readonly string[],
): Promise<void> {
  if (messageIds.length === 0) return;
  await sql`${PREPARED}
    UPDATE messages m SET status = ${statusLit('pending')}, next_attempt_at = NULL, wait_reason = NULL, updated_at = now()
     WHERE m.id = ANY(${[...messageIds]}::bigint[]) AND m.claim_token = ${token}::uuid AND ${statusIs('m.status', 'sending')}`.execute(
    db,
  );
}

/** One claimed row's send, settled (see `settle` in core/send-outcome.ts). */
export interface SettledSend {
  messageId: string;
  numberId: string;
  settlement: Settlement;
}

/**
 * Stores the outcomes of one sender's claims in one statement. Only rows still claimed by
 * `token` are written; a request that left tandem adds an attempt row (with the sender, so a
 * retry leaves from another number). Returns the ids written.
 */
export async function recordSettled(
  db: Db,
  token: string,
  results: readonly SettledSend[],
): Promise<Set<string>> {
  if (results.length === 0) return new Set();
  const col = <T>(pick: (s: Settlement) => T) => results.map((r) => pick(r.settlement));
  const written = await sql<{ id: string }>`${PREPARED}
    WITH v AS (
      SELECT * FROM unnest(${results.map((r) => r.messageId)}::bigint[], ${results.map((r) => r.numberId)}::bigint[],
                           ${col((s) => s.status)}::text[], ${col((s) => s.sid)}::text[],
                           ${col((s) => s.errorCode)}::int[], ${col((s) => s.nextAttemptAt?.toISOString() ?? null)}::timestamptz[],
                           ${col((s) => s.final)}::bool[], ${col((s) => s.attempted)}::bool[], ${col((s) => s.attemptStatus)}::text[],
                           ${col((s) => s.waitReason)}::text[])
             AS v(id, number_id, status, sid, error_code, next_at, final, attempted, attempt_status, wait_reason)
    ), m AS (
      UPDATE messages m SET
          status = v.status, provider_sid = v.sid, error_code = v.error_code, next_attempt_at = v.next_at,
          wait_reason = v.wait_reason,
          attempts = m.attempts + CASE WHEN v.attempted THEN 1 ELSE 0 END,
          sent_at = CASE WHEN v.sid IS NOT NULL THEN now() ELSE m.sent_at END,
          final_at = CASE WHEN v.final THEN now() ELSE m.final_at END,
          updated_at = now()
        FROM v WHERE m.id = v.id AND m.claim_token = ${token}::uuid AND ${statusIs('m.status', 'sending')}
      RETURNING m.id, m.attempts, v.number_id, v.sid, v.attempted, v.attempt_status, v.error_code
    ), attempts AS (
      INSERT INTO message_attempts (message_id, attempt, from_number_id, provider_sid, status, error_code)
      SELECT id, attempts, number_id, sid, attempt_status, error_code FROM m WHERE attempted
    )
    SELECT id::text AS id FROM m`.execute(db);
  return new Set(written.rows.map((row) => row.id));
}

/** Each number's rates: messages-per-second, and MMS per second. */
export async function numberRates(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, NumberRate>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('sender_numbers')
    .select(['id', 'mps', 'mms_mps'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, { mps: row.mps, mmsMps: row.mms_mps }]));
}
