import { sql } from 'kysely';
import type { Db } from './connect.ts';
import {
  dueNow,
  EVERYONE,
  sendableColumns,
  sendableFrom,
  targetSkipReason,
  type SendableMessage,
  type Targeting,
} from './messages.ts';
import { statusIn, statusIs, statusLit } from './status-sql.ts';

/**
 * Claims a sender may still be using: `sending` rows whose lease has not ended. A cancelled
 * campaign's rows are ended only once none is left, so a request on the wire is recorded as
 * what it became, never as cancelled.
 */
export async function liveClaims(db: Db, campaignId: string, now: Date): Promise<number> {
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM messages m
     WHERE m.campaign_id = ${campaignId} AND ${statusIs('m.status', 'sending')}
       AND m.next_attempt_at > ${now}`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/**
 * The cancelled campaign's rows that never left tandem end as `cancelled`: new, deferred and
 * waiting for a retry (every `pending` row, of every step), and a broadcast row for each
 * audience member the walk had not reached, so the funnel still adds up to the audience (one
 * the campaign would not have texted anyway is `skipped` with its reason, as the walk does).
 * Rows whose send may have reached the carrier (`unknown`, or `sending` left by a sender that
 * died) are not touched: nobody knows they were not sent (see `unresolvedSends`). Returns the
 * rows cancelled.
 */
export async function cancelUnsentRows(
  db: Db,
  campaignId: string,
  audienceId: string,
  targeting: Targeting = EVERYONE,
): Promise<number> {
  const updated = await sql`
    UPDATE messages m SET status = ${statusLit('cancelled')}, next_attempt_at = NULL, claim_token = NULL, wait_reason = NULL,
           final_at = now(), updated_at = now()
     WHERE m.campaign_id = ${campaignId} AND ${statusIs('m.status', 'pending')} AND m.provider_sid IS NULL`.execute(
    db,
  );
  const inserted = await sql`
    INSERT INTO messages (campaign_id, step, contact_id, to_phone, status, skip_reason, final_at)
    SELECT ${campaignId}, 0, t.id, t.phone,
           CASE WHEN t.reason IS NULL THEN ${statusLit('cancelled')} ELSE ${statusLit('skipped')} END,
           t.reason, now()
      FROM (SELECT c.id, c.phone, ${targetSkipReason(targeting)} AS reason
              FROM audience_members am JOIN contacts c ON c.id = am.contact_id
             WHERE am.audience_id = ${audienceId}) t
    ON CONFLICT (campaign_id, step, contact_id) DO NOTHING`.execute(db);
  return Number(updated.numAffectedRows ?? 0) + Number(inserted.numAffectedRows ?? 0);
}

/**
 * Rows of a cancelled campaign whose last send may have reached the carrier (`unknown`, or
 * `sending` left by a sender that died), of every step, with when the next is due to be asked
 * about: they are resolved with the carrier before the rest is cancelled.
 */
export async function unresolvedSends(
  db: Db,
  campaign: { id: string; audienceId: string },
  now: Date,
  limit: number,
): Promise<{ due: (SendableMessage & { step: number })[]; waiting: number }> {
  const due = await sql<SendableMessage & { step: number }>`
    SELECT ${sendableColumns}, m.step
      FROM ${sendableFrom(campaign.audienceId)}
     WHERE m.campaign_id = ${campaign.id} AND ${statusIn('m.status', 'unresolved')}
       AND NOT ${statusIs('m.status', 'pending')} AND ${dueNow(now)}
     ORDER BY m.id LIMIT ${limit}`.execute(db);
  const waiting = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM messages m
     WHERE m.campaign_id = ${campaign.id} AND m.provider_sid IS NULL
       AND ${statusIn('m.status', 'unresolved')} AND NOT ${statusIs('m.status', 'pending')}`.execute(
    db,
  );
  return { due: due.rows, waiting: waiting.rows[0]?.n ?? 0 };
}

/** Rows the carrier proved it never created, left `sending` by a dead sender: cancelled. */
export async function cancelNeverSent(db: Db, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length === 0) return;
  await sql`
    UPDATE messages m SET status = ${statusLit('cancelled')}, next_attempt_at = NULL, claim_token = NULL, wait_reason = NULL,
           final_at = now(), updated_at = now()
     WHERE m.id = ANY(${[...messageIds]}::bigint[]) AND m.provider_sid IS NULL
       AND ${statusIn('m.status', 'unresolved')}`.execute(db);
}
