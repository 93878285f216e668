import { sql } from 'kysely';
import type { Db } from './connect.ts';

// The batched writes of the send pipeline: each a single statement over many rows.

/** Rows that will not be sent (opted out, template problem), with the reason. */
export async function markSkipped(
  db: Db,
  skips: readonly { id: string; reason: string }[],
): Promise<void> {
  if (skips.length === 0) return;
  await sql`
    UPDATE messages m SET status = 'skipped', skip_reason = v.reason, final_at = now(), updated_at = now()
      FROM unnest(${skips.map((s) => s.id)}::bigint[], ${skips.map((s) => s.reason)}::text[]) AS v(id, reason)
     WHERE m.id = v.id AND m.provider_sid IS NULL`.execute(db);
}

/** Rows to try again later (quiet hours, no healthy sender yet). */
export async function markDeferred(
  db: Db,
  deferrals: readonly { id: string; at: Date }[],
): Promise<void> {
  if (deferrals.length === 0) return;
  await sql`
    UPDATE messages m SET status = 'pending', next_attempt_at = v.at, updated_at = now()
      FROM unnest(${deferrals.map((d) => d.id)}::bigint[], ${deferrals.map((d) => d.at.toISOString())}::timestamptz[]) AS v(id, at)
     WHERE m.id = v.id AND m.provider_sid IS NULL`.execute(db);
}

export interface SendingClaim {
  id: string;
  numberId: string;
  fromPhone: string;
  body: string;
  segments: number;
}

/** Claims rows for a send: `sending`, their sender and text, and a new attempt row. */
export async function markSending(db: Db, items: readonly SendingClaim[]): Promise<void> {
  if (items.length === 0) return;
  const ids = items.map((item) => item.id);
  await sql`
    WITH v AS (
      SELECT * FROM unnest(${ids}::bigint[], ${items.map((i) => i.numberId)}::bigint[],
                           ${items.map((i) => i.fromPhone)}::text[], ${items.map((i) => i.body)}::text[],
                           ${items.map((i) => i.segments)}::int[]) AS v(id, number_id, from_phone, body, segments)
    ), updated AS (
      UPDATE messages m SET status = 'sending', from_number_id = v.number_id, from_phone = v.from_phone,
             body = v.body, segments = v.segments, attempts = m.attempts + 1, next_attempt_at = NULL, updated_at = now()
        FROM v WHERE m.id = v.id
      RETURNING m.id, m.attempts, m.from_number_id
    )
    INSERT INTO message_attempts (message_id, attempt, from_number_id, status)
    SELECT id, attempts, from_number_id, 'sending' FROM updated
    ON CONFLICT (message_id, attempt) DO UPDATE SET from_number_id = EXCLUDED.from_number_id, status = 'sending'`.execute(
    db,
  );
}

/** What the carrier said about one attempt: a sid, or a failure and when to retry. */
export interface SettledSend {
  messageId: string;
  attempt: number;
  sid: string | null;
  status: string;
  errorCode: number | null;
  retryAt: Date | null;
  final: boolean;
}

/** Stores the carrier's answers for many attempts in one statement. */
export async function recordSettled(db: Db, results: readonly SettledSend[]): Promise<void> {
  const ids = results.map((r) => r.messageId);
  const column = <T>(pick: (r: SettledSend) => T) => results.map(pick);
  await sql`
    WITH v AS (
      SELECT * FROM unnest(${ids}::bigint[], ${column((r) => r.attempt)}::int[], ${column((r) => r.sid)}::text[],
                           ${column((r) => r.status)}::text[], ${column((r) => r.errorCode)}::int[],
                           ${column((r) => r.retryAt?.toISOString() ?? null)}::timestamptz[], ${column((r) => r.final)}::bool[])
             AS v(id, attempt, sid, status, error_code, retry_at, final)
    ), attempts AS (
      UPDATE message_attempts a SET provider_sid = v.sid, status = v.status, error_code = v.error_code
        FROM v WHERE a.message_id = v.id AND a.attempt = v.attempt
    )
    UPDATE messages m SET
        provider_sid = v.sid,
        status = CASE WHEN v.sid IS NOT NULL THEN
                   CASE WHEN v.status IN ('queued', 'accepted', 'scheduled') THEN 'queued' ELSE 'sent' END
                 ELSE v.status END,
        error_code = v.error_code, next_attempt_at = v.retry_at,
        sent_at = CASE WHEN v.sid IS NOT NULL THEN now() ELSE m.sent_at END,
        final_at = CASE WHEN v.final THEN now() ELSE m.final_at END,
        updated_at = now()
      FROM v WHERE m.id = v.id`.execute(db);
}

/** Each number's messages-per-second. */
export async function numberRates(db: Db, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('sender_numbers')
    .select(['id', 'mps'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, row.mps]));
}
