import { sql } from 'kysely';
import type { CampaignStatus } from '../core/campaign-status.ts';
import type { ListCursor } from '../core/list-cursor.ts';
import type { Db } from './connect.ts';
import { containsPattern } from './like-pattern.ts';
import { statusIn, statusIs } from './status-sql.ts';

export interface CampaignListQuery {
  /** Any of these statuses; null: every status. */
  statuses: readonly CampaignStatus[] | null;
  createdAfter: Date | null;
  createdBefore: Date | null;
  /** Case-insensitive part of the name. */
  q: string | null;
  /** true: archived only; false: not archived; null: both. */
  archived: boolean | null;
  after: ListCursor | null;
  limit: number;
}

export interface CampaignListRow {
  id: string;
  name: string;
  status: CampaignStatus;
  audience_id: string;
  audience_name: string;
  sms_pool_id: string;
  followup_pool_id: string | null;
  created_at: Date;
  launched_at: Date | null;
  finished_at: Date | null;
  archived_at: Date | null;
  /** created_at in whole microseconds (the keyset; core/list-cursor.ts). */
  created_us: string;
  targeted: number;
  sent: number;
  delivered: number;
  failed: number;
}

/**
 * Campaigns newest first by (created_at, id), with their message counts. The counts are an
 * index-only read of `messages_campaign_status` per campaign of the page (not the table).
 */
export async function campaignsPage(db: Db, query: CampaignListQuery): Promise<CampaignListRow[]> {
  const conditions = [sql`TRUE`];
  if (query.statuses !== null) conditions.push(sql`c.status = ANY(${[...query.statuses]}::text[])`);
  if (query.createdAfter !== null) conditions.push(sql`c.created_at >= ${query.createdAfter}`);
  if (query.createdBefore !== null) conditions.push(sql`c.created_at < ${query.createdBefore}`);
  if (query.q !== null) conditions.push(sql`c.name ILIKE ${containsPattern(query.q)}`);
  if (query.archived !== null)
    conditions.push(query.archived ? sql`c.archived_at IS NOT NULL` : sql`c.archived_at IS NULL`);
  if (query.after !== null)
    conditions.push(
      sql`(c.created_at, c.id) < (timestamptz 'epoch' + ${query.after.atUs ?? '0'}::bigint * interval '1 microsecond', ${query.after.id}::uuid)`,
    );
  const result = await sql<CampaignListRow>`
    SELECT c.id, c.name, c.status, c.audience_id, a.name AS audience_name, c.sms_pool_id,
           c.followup_pool_id, c.created_at, c.launched_at, c.finished_at, c.archived_at,
           (extract(epoch FROM c.created_at) * 1000000)::bigint::text AS created_us,
           m.targeted, m.sent, m.delivered, m.failed
      FROM campaigns c
      JOIN audiences a ON a.id = c.audience_id
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS targeted,
               count(*) FILTER (WHERE ${statusIn('status', 'reachedCarrier')})::int AS sent,
               count(*) FILTER (WHERE ${statusIs('status', 'delivered')})::int AS delivered,
               count(*) FILTER (WHERE ${statusIn('status', 'failed')})::int AS failed
          FROM messages WHERE campaign_id = c.id) m
     WHERE ${sql.join(conditions, sql` AND `)}
     ORDER BY c.created_at DESC, c.id DESC
     LIMIT ${query.limit}`.execute(db);
  return result.rows;
}
