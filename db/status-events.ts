import { sql } from 'kysely';
import { retryDecision, type RetryPolicy } from '../core/carrier-errors.ts';
import { applyStatus, fromTwilioStatus, isFinal, isTwilioStatus, type MessageStatus } from '../core/message-status.ts';
import type { Db } from './connect.ts';
import { recordOutcomes } from './number-health.ts';

export interface StatusEventInput {
  provider: 'twilio' | 'blooio';
  sid: string;
  status: string;
  errorCode: number | null;
  payload: Record<string, unknown>;
}

/**
 * Stores callbacks (a duplicate — same sid, status and error — is dropped by its unique
 * key) and applies the new ones. An event whose sid is not known yet stays unapplied and
 * is matched when the sender stores that sid (`applyPendingEventsFor`).
 */
export async function recordStatusEvents(db: Db, events: readonly StatusEventInput[]): Promise<{ stored: number; duplicates: number }> {
  if (events.length === 0) return { stored: 0, duplicates: 0 };
  const inserted = await db
    .insertInto('message_events')
    .values(
      events.map((event) => ({
        provider: event.provider,
        provider_sid: event.sid,
        status: event.status,
        error_code: event.errorCode,
        dedupe_key: `${event.provider}:${event.sid}:${event.status}:${event.errorCode ?? ''}`,
        payload: JSON.stringify(event.payload),
      })),
    )
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('provider_sid')
    .execute();
  await applyPendingEventsFor(db, [...new Set(inserted.map((row) => row.provider_sid))]);
  return { stored: inserted.length, duplicates: events.length - inserted.length };
}

interface Target {
  message_id: string;
  attempt_id: string;
  current_sid: string | null;
  status: MessageStatus;
  attempts: number;
  from_number_id: string | null;
  contact_id: string;
  retry_policy: RetryPolicy;
}

interface PendingEvent {
  id: string;
  provider_sid: string;
  status: string;
  error_code: number | null;
}

/** Applies every unapplied event of these sids, in arrival order, monotonically. */
export async function applyPendingEventsFor(db: Db, sids: readonly string[]): Promise<number> {
  if (sids.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const events = await sql<PendingEvent>`
      SELECT id::text AS id, provider_sid, status, error_code FROM message_events
       WHERE provider_sid = ANY(${sids}::text[]) AND applied_at IS NULL
       ORDER BY id FOR UPDATE SKIP LOCKED`.execute(trx);
    if (events.rows.length === 0) return 0;
    const targets = await sql<Target>`
      SELECT m.id::text AS message_id, a.id::text AS attempt_id, m.provider_sid AS current_sid, m.status, m.attempts,
             a.from_number_id::text AS from_number_id, m.contact_id::text AS contact_id, c.retry_policy, a.provider_sid AS sid
        FROM message_attempts a JOIN messages m ON m.id = a.message_id JOIN campaigns c ON c.id = m.campaign_id
       WHERE a.provider_sid = ANY(${[...new Set(events.rows.map((e) => e.provider_sid))]}::text[])
       FOR UPDATE OF m`.execute(trx);
    const bySid = new Map(targets.rows.map((row) => [(row as Target & { sid: string }).sid, row]));
    const applied: string[] = [];
    const outcomes: { numberId: string; status: MessageStatus; errorCode: number | null }[] = [];
    for (const event of events.rows) {
      const target = bySid.get(event.provider_sid);
      if (target === undefined || !isTwilioStatus(event.status)) continue;
      applied.push(event.id);
      const incoming = fromTwilioStatus(event.status);
      if (incoming === null) continue;
      await sql`UPDATE message_attempts SET status = ${incoming}, error_code = COALESCE(${event.error_code}, error_code)
                 WHERE id = ${target.attempt_id}`.execute(trx);
      if (isFinal(incoming) && target.from_number_id !== null) {
        outcomes.push({ numberId: target.from_number_id, status: incoming, errorCode: event.error_code });
      }
      // An older attempt's late news changes only that attempt's row.
      if (target.current_sid !== event.provider_sid) continue;
      const next = applyStatus(target.status, incoming);
      if (next === 'ignore') continue;
      if ((next === 'failed' || next === 'undelivered') && event.error_code !== null) {
        const decision = retryDecision({ kind: 'twilio_error', code: event.error_code }, target.attempts, target.retry_policy);
        if (decision.action === 'retry') {
          await sql`UPDATE messages SET status = 'pending', provider_sid = NULL, error_code = ${event.error_code},
                           next_attempt_at = now() + make_interval(secs => ${decision.delayMs / 1000}), updated_at = now()
                     WHERE id = ${target.message_id}`.execute(trx);
          target.status = 'pending';
          target.current_sid = null;
          continue;
        }
        if (decision.errorClass === 'opted_out') {
          await sql`UPDATE contacts SET opted_out_at = COALESCE(opted_out_at, now()) WHERE id = ${target.contact_id}`.execute(trx);
        }
      }
      await sql`UPDATE messages SET status = ${next}, error_code = COALESCE(${event.error_code}, error_code),
                       final_at = CASE WHEN ${isFinal(next)} THEN now() ELSE final_at END, updated_at = now()
                 WHERE id = ${target.message_id}`.execute(trx);
      target.status = next;
    }
    if (applied.length > 0) {
      await sql`UPDATE message_events SET applied_at = now() WHERE id = ANY(${applied}::bigint[])`.execute(trx);
    }
    await recordOutcomes(trx, outcomes);
    return applied.length;
  });
}

/** Sweeps events left unapplied by a race between a callback and the sender storing its sid. */
export async function applyStrayEvents(db: Db, campaignId: string): Promise<number> {
  const rows = await sql<{ provider_sid: string }>`
    SELECT DISTINCT e.provider_sid FROM message_events e
      JOIN message_attempts a ON a.provider_sid = e.provider_sid
      JOIN messages m ON m.id = a.message_id
     WHERE e.applied_at IS NULL AND m.campaign_id = ${campaignId}
     LIMIT 5000`.execute(db);
  return applyPendingEventsFor(db, rows.rows.map((row) => row.provider_sid));
}
