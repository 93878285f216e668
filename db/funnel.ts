import { sql } from 'kysely';
import type { BroadcastCounts, MessageTally } from '../core/message-tally.ts';
import type { Db } from './connect.ts';

export interface ReplyCounts {
  replied: number;
  interested: number;
  handed_off: number;
  /** Interested contacts not handed off, by reason (e.g. `no_followup_pool`). */
  not_handed_off: Record<string, number>;
  opted_out: number;
}

export interface Funnel extends BroadcastCounts, ReplyCounts {
  /** Messages with no carrier message yet, by why they wait, with the earliest next try. */
  waiting_reasons: Record<string, { count: number; deferred_until: string | null }>;
}

/** A campaign's replies, counted per contact, and the hand-offs the follow-up carrier took. */
export async function campaignReplies(db: Db, campaignId: string): Promise<ReplyCounts> {
  const [replies, handoffs, notHandedOff] = await Promise.all([
    sql<{ replied: number; interested: number; opted_out: number }>`
      SELECT count(DISTINCT contact_id)::int AS replied,
             count(DISTINCT contact_id) FILTER (WHERE classification = 'interested')::int AS interested,
             count(DISTINCT contact_id) FILTER (WHERE classification = 'opt_out')::int AS opted_out
        FROM inbound_messages WHERE campaign_id = ${campaignId}`.execute(db),
    sql<{ handed_off: number }>`
      SELECT count(*)::int AS handed_off FROM conversation_handoffs
       WHERE campaign_id = ${campaignId} AND status = 'sent'`.execute(db),
    sql<{ reason: string; n: number }>`
      SELECT handoff_skipped AS reason, count(DISTINCT contact_id)::int AS n FROM inbound_messages
       WHERE campaign_id = ${campaignId} AND handoff_skipped IS NOT NULL GROUP BY handoff_skipped`.execute(
      db,
    ),
  ]);
  const reply = replies.rows[0];
  return {
    replied: reply?.replied ?? 0,
    interested: reply?.interested ?? 0,
    handed_off: handoffs.rows[0]?.handed_off ?? 0,
    not_handed_off: Object.fromEntries(notHandedOff.rows.map((r) => [r.reason, r.n])),
    opted_out: reply?.opted_out ?? 0,
  };
}

/**
 * The funnel: the broadcast's message figures from the campaign's tally (one scan of its
 * messages, core/message-tally.ts) and its replies. Counts that add up: targeted = skipped +
 * pending/deferred + sending + unknown + queued + sent + delivered + failed + cancelled.
 */
export function funnelOf(tally: MessageTally, replies: ReplyCounts): Funnel {
  return {
    ...tally.broadcast,
    waiting_reasons: Object.fromEntries(
      Object.entries(tally.broadcastWaiting).map(([reason, group]) => [
        reason,
        { count: group.count, deferred_until: group.deferredUntil?.toISOString() ?? null },
      ]),
    ),
    ...replies,
  };
}
