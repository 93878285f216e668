import { sql } from 'kysely';
import type { MessageGroup } from '../core/message-tally.ts';
import type { Db } from './connect.ts';
import { statusIn } from './status-sql.ts';

/**
 * A campaign's messages in one scan, grouped by step, status, skip reason, wait reason (kept
 * only for rows still waiting for a carrier message) and whether the carrier has the message:
 * the input of every figure of its page (core/message-tally.ts). A campaign has a handful of
 * such groups whatever its size.
 */
export async function messageGroups(db: Db, campaignId: string): Promise<MessageGroup[]> {
  const result = await sql<{
    step: number;
    status: MessageGroup['status'];
    skip_reason: string | null;
    wait_reason: string | null;
    at_carrier: boolean;
    n: number;
    retried: number;
    next_attempt_at: Date | null;
    last_progress_at: Date | null;
  }>`
    SELECT step, status, skip_reason,
           CASE WHEN provider_sid IS NULL AND ${statusIn('status', 'unresolved')} THEN wait_reason END AS wait_reason,
           provider_sid IS NOT NULL AS at_carrier,
           count(*)::int AS n,
           count(*) FILTER (WHERE attempts > 1)::int AS retried,
           min(next_attempt_at) AS next_attempt_at,
           greatest(max(sent_at), max(final_at)) AS last_progress_at
      FROM messages WHERE campaign_id = ${campaignId}
     GROUP BY 1, 2, 3, 4, 5`.execute(db);
  return result.rows.map((row) => ({
    step: row.step,
    status: row.status,
    skipReason: row.skip_reason,
    waitReason: row.wait_reason,
    atCarrier: row.at_carrier,
    count: row.n,
    retried: row.retried,
    nextAttemptAt: row.next_attempt_at,
    lastProgressAt: row.last_progress_at,
  }));
}
