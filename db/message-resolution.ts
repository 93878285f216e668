import { sql } from 'kysely';
import type { MessageStatus } from '../core/message-status.ts';
import type { Settlement } from '../core/send-outcome.ts';
import type { WaitReason } from '../core/wait-reason.ts';
import type { Db } from './connect.ts';
import type { RowState } from './message-writes.ts';
import { PREPARED } from './prepared.ts';

// What asking the carrier about a row left `sending` (its sender died) or `unknown` (its
// answer was lost) settles. Compare-and-set like the send pipeline's writes.

const asking: WaitReason = 'carrier_unknown_outcome';

const unchanged = (row: RowState) =>
  sql`m.id = ${row.id} AND m.status = ${row.status} AND m.claim_token IS NOT DISTINCT FROM ${row.claimToken}::uuid AND m.provider_sid IS NULL`;

/**
 * The carrier has the message: the row takes its sid. A row left `sending` had no attempt
 * recorded (its sender died before the answer): the attempt is added now; an `unknown` row's
 * attempt gets the sid. Returns false when someone else changed the row first.
 */
export async function adoptCarrierMessage(
  db: Db,
  row: RowState,
  found: { sid: string; status: MessageStatus; numberId: string | null },
): Promise<boolean> {
  const counted = row.status === 'unknown';
  const result = await sql<{ id: string }>`${PREPARED}
    WITH m AS (
      UPDATE messages m SET provider_sid = ${found.sid}, status = ${found.status}, error_code = NULL, carrier_absent_at = NULL,
             next_attempt_at = NULL, wait_reason = NULL, attempts = m.attempts + ${counted ? 0 : 1},
             sent_at = COALESCE(m.sent_at, now()), updated_at = now()
       WHERE ${unchanged(row)}
      RETURNING m.id, m.attempts
    ), counted AS (
      UPDATE message_attempts a SET provider_sid = ${found.sid}, status = ${found.status}
        FROM m WHERE ${counted} AND a.message_id = m.id AND a.attempt = m.attempts
    ), added AS (
      INSERT INTO message_attempts (message_id, attempt, from_number_id, provider_sid, status)
      SELECT id, attempts, ${found.numberId}::bigint, ${found.sid}, ${found.status} FROM m WHERE NOT ${counted}
    )
    SELECT id::text AS id FROM m`.execute(db);
  return result.rows.length === 1;
}

/**
 * The carrier has no trace of an `unknown` row's message: the attempt is marked so, and the
 * row takes the settlement (a retry from another number, or failed). False when changed first.
 */
export async function settleNotCreated(
  db: Db,
  row: RowState,
  settlement: Settlement,
): Promise<boolean> {
  const result = await sql<{ id: string }>`${PREPARED}
    WITH m AS (
      UPDATE messages m SET status = ${settlement.status}, error_code = ${settlement.errorCode}, carrier_absent_at = NULL,
             next_attempt_at = ${settlement.nextAttemptAt?.toISOString() ?? null}::timestamptz,
             wait_reason = ${settlement.waitReason},
             final_at = CASE WHEN ${settlement.final} THEN now() ELSE m.final_at END, updated_at = now()
       WHERE ${unchanged(row)}
      RETURNING m.id, m.attempts
    ), attempt AS (
      UPDATE message_attempts a SET status = 'not_created' FROM m WHERE a.message_id = m.id AND a.attempt = m.attempts
    )
    SELECT id::text AS id FROM m`.execute(db);
  return result.rows.length === 1;
}

/**
 * The carrier had no trace of the row's message, for the first time: it may still be working
 * on a request whose client gave up, so the row is asked about once more at `recheckAt`.
 */
export async function markAbsentOnce(
  db: Db,
  row: RowState,
  now: Date,
  recheckAt: Date,
): Promise<void> {
  await sql`UPDATE messages m SET carrier_absent_at = ${now.toISOString()}::timestamptz,
             next_attempt_at = ${recheckAt.toISOString()}::timestamptz, wait_reason = ${asking}, updated_at = now()
             WHERE ${unchanged(row)}`.execute(db);
}

/** Asking the carrier failed (it is down too): ask again later. */
export async function postponeResolution(db: Db, row: RowState, at: Date): Promise<void> {
  await sql`UPDATE messages m SET next_attempt_at = ${at.toISOString()}::timestamptz, wait_reason = ${asking},
             updated_at = now()
             WHERE ${unchanged(row)}`.execute(db);
}

/** Sids of the carrier messages a row already has (a new match must be none of these). */
export async function knownSids(db: Db, messageIds: readonly string[]): Promise<Set<string>> {
  if (messageIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('message_attempts')
    .select('provider_sid')
    .where('message_id', 'in', [...messageIds])
    .where('provider_sid', 'is not', null)
    .execute();
  return new Set(rows.flatMap((row) => (row.provider_sid === null ? [] : [row.provider_sid])));
}
