import { sql } from 'kysely';
import { isWaitReason, type WaitReason } from '../core/wait-reason.ts';
import type { WaitingGroup } from '../core/campaign-stall.ts';
import type { Db } from './connect.ts';
import { statusIn } from './status-sql.ts';

/** A campaign's messages with no carrier message yet, by why they wait (one step, or all). */
export async function waitingByReason(
  db: Db,
  campaignId: string,
  step: number | null,
): Promise<Partial<Record<WaitReason, WaitingGroup>>> {
  const rows = await sql<{ reason: string; n: number; deferred_until: Date | null }>`
    SELECT m.wait_reason AS reason, count(*)::int AS n, min(m.next_attempt_at) AS deferred_until
      FROM messages m
     WHERE m.campaign_id = ${campaignId} AND ${step === null ? sql`TRUE` : sql`m.step = ${step}`}
       AND m.provider_sid IS NULL AND ${statusIn('m.status', 'unresolved')} AND m.wait_reason IS NOT NULL
     GROUP BY m.wait_reason`.execute(db);
  const groups: Partial<Record<WaitReason, WaitingGroup>> = {};
  for (const row of rows.rows) {
    if (isWaitReason(row.reason))
      groups[row.reason] = { count: row.n, deferredUntil: row.deferred_until };
  }
  return groups;
}

export interface CampaignProgress {
  /** Messages (every step) with no carrier message yet that still need one. */
  unsent: number;
  /** When one was last sent or ended. */
  lastProgressAt: Date | null;
}

export async function campaignProgress(db: Db, campaignId: string): Promise<CampaignProgress> {
  const result = await sql<{ unsent: number; last_progress_at: Date | null }>`
    SELECT count(*) FILTER (WHERE m.provider_sid IS NULL AND ${statusIn('m.status', 'unresolved')})::int AS unsent,
           greatest(max(m.sent_at), max(m.final_at)) AS last_progress_at
      FROM messages m WHERE m.campaign_id = ${campaignId}`.execute(db);
  const row = result.rows[0];
  return { unsent: row?.unsent ?? 0, lastProgressAt: row?.last_progress_at ?? null };
}
