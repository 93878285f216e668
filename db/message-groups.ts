import { sql } from 'kysely';
import type { MessageGroup } from '../core/message-tally.ts';
import type { Db } from './connect.ts';

/**
 * A campaign's messages in one scan, grouped by step, status, skip reason and wait reason: the
 * input of every figure of its page (core/message-tally.ts). A campaign has a handful of such
 * groups whatever its size. The keys are plain columns, whose statistics tell the planner the
 * groups are few (it then hashes them in memory); an expression among them (the rows without a
 * carrier message) made it expect one group per row and sort 100,000 rows on disk. Those rows
 * are counted with FILTER instead.
 */
export async function messageGroups(db: Db, campaignId: string): Promise<MessageGroup[]> {
  const result = await sql<{
    step: number;
    status: MessageGroup['status'];
    skip_reason: string | null;
    wait_reason: string | null;
    n: number;
    without_carrier: number;
    retried: number;
    next_attempt_at: Date | null;
    last_progress_at: Date | null;
  }>`
    SELECT step, status, skip_reason, wait_reason,
           count(*)::int AS n,
           count(*) FILTER (WHERE provider_sid IS NULL)::int AS without_carrier,
           count(*) FILTER (WHERE attempts > 1)::int AS retried,
           min(next_attempt_at) FILTER (WHERE provider_sid IS NULL) AS next_attempt_at,
           greatest(max(sent_at), max(final_at)) AS last_progress_at
      FROM messages WHERE campaign_id = ${campaignId}
     GROUP BY step, status, skip_reason, wait_reason`.execute(db);
  return result.rows.map((row) => ({
    step: row.step,
    status: row.status,
    skipReason: row.skip_reason,
    waitReason: row.wait_reason,
    count: row.n,
    withoutCarrier: row.without_carrier,
    retried: row.retried,
    nextAttemptAt: row.next_attempt_at,
    lastProgressAt: row.last_progress_at,
  }));
}
