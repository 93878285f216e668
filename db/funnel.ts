import { sql } from 'kysely';
import type { Db } from './connect.ts';
import { statusIn, statusIs } from './status-sql.ts';
import { waitingByReason } from './waiting.ts';

export interface Funnel {
  targeted: number;
  skipped: number;
  skipped_reasons: Record<string, number>;
  queued: number;
  sending: number;
  unknown: number;
  sent: number;
  delivered: number;
  failed: number;
  retried: number;
  deferred: number;
  /** Messages with no carrier message yet, by why they wait, with the earliest next try. */
  waiting_reasons: Record<string, { count: number; deferred_until: string | null }>;
  cancelled: number;
  replied: number;
  interested: number;
  handed_off: number;
  /** Interested contacts not handed off, by reason (e.g. `no_followup_pool`). */
  not_handed_off: Record<string, number>;
  opted_out: number;
}

/**
 * Counts that add up: targeted = skipped + pending/deferred + sending + unknown + queued + sent +
 * delivered + failed + cancelled.
 */
export async function campaignFunnel(db: Db, campaignId: string): Promise<Funnel> {
  const counts = await sql<
    Pick<
      Funnel,
      | 'targeted'
      | 'skipped'
      | 'queued'
      | 'sending'
      | 'unknown'
      | 'sent'
      | 'delivered'
      | 'failed'
      | 'retried'
      | 'deferred'
      | 'cancelled'
    >
  >`
    SELECT count(*)::int AS targeted,
           count(*) FILTER (WHERE ${statusIs('status', 'skipped')})::int AS skipped,
           count(*) FILTER (WHERE ${statusIs('status', 'queued')})::int AS queued,
           count(*) FILTER (WHERE ${statusIs('status', 'sending')})::int AS sending,
           count(*) FILTER (WHERE ${statusIs('status', 'unknown')})::int AS unknown,
           count(*) FILTER (WHERE ${statusIs('status', 'sent')})::int AS sent,
           count(*) FILTER (WHERE ${statusIs('status', 'delivered')})::int AS delivered,
           count(*) FILTER (WHERE ${statusIn('status', 'failed')})::int AS failed,
           count(*) FILTER (WHERE attempts > 1)::int AS retried,
           count(*) FILTER (WHERE ${statusIs('status', 'pending')})::int AS deferred,
           count(*) FILTER (WHERE ${statusIs('status', 'cancelled')})::int AS cancelled
      FROM messages WHERE campaign_id = ${campaignId} AND step = 0`.execute(db);
  const reasons = await sql<{ reason: string; n: number }>`
    SELECT skip_reason AS reason, count(*)::int AS n FROM messages
     WHERE campaign_id = ${campaignId} AND step = 0 AND ${statusIs('status', 'skipped')} GROUP BY skip_reason`.execute(
    db,
  );
  // Replies attributed to this campaign, counted per contact; hand-offs the follow-up carrier took.
  const replies = await sql<{
    replied: number;
    interested: number;
    handed_off: number;
    opted_out: number;
  }>`
    SELECT count(DISTINCT contact_id)::int AS replied,
           count(DISTINCT contact_id) FILTER (WHERE classification = 'interested')::int AS interested,
           (SELECT count(*)::int FROM conversation_handoffs
             WHERE campaign_id = ${campaignId} AND status = 'sent') AS handed_off,
           count(DISTINCT contact_id) FILTER (WHERE classification = 'opt_out')::int AS opted_out
      FROM inbound_messages WHERE campaign_id = ${campaignId}`.execute(db);
  const waiting = await waitingByReason(db, campaignId, 0);
  const notHandedOff = await sql<{ reason: string; n: number }>`
    SELECT handoff_skipped AS reason, count(DISTINCT contact_id)::int AS n FROM inbound_messages
     WHERE campaign_id = ${campaignId} AND handoff_skipped IS NOT NULL GROUP BY handoff_skipped`.execute(
    db,
  );
  const row = counts.rows[0];
  const reply = replies.rows[0];
  return {
    targeted: row?.targeted ?? 0,
    skipped: row?.skipped ?? 0,
    skipped_reasons: Object.fromEntries(reasons.rows.map((r) => [r.reason, r.n])),
    queued: row?.queued ?? 0,
    sending: row?.sending ?? 0,
    unknown: row?.unknown ?? 0,
    sent: row?.sent ?? 0,
    delivered: row?.delivered ?? 0,
    failed: row?.failed ?? 0,
    retried: row?.retried ?? 0,
    deferred: row?.deferred ?? 0,
    waiting_reasons: Object.fromEntries(
      Object.entries(waiting).map(([reason, group]) => [
        reason,
        { count: group.count, deferred_until: group.deferredUntil?.toISOString() ?? null },
      ]),
    ),
    cancelled: row?.cancelled ?? 0,
    replied: reply?.replied ?? 0,
    interested: reply?.interested ?? 0,
    handed_off: reply?.handed_off ?? 0,
    not_handed_off: Object.fromEntries(notHandedOff.rows.map((r) => [r.reason, r.n])),
    opted_out: reply?.opted_out ?? 0,
  };
}
