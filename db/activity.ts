/**
 * Activity over time, bucketed in PostgreSQL: what a campaign (or one sender number) sent,
 * and what became of it, per time bucket. A message counts as sent in the bucket of its
 * `sent_at` and as delivered or failed in the bucket of its `final_at`; replies in the bucket
 * they arrived, hand-offs in the bucket they were made. Buckets start at multiples of the step
 * since the epoch (core/activity-buckets.ts) and empty ones are returned as zeros.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './connect.ts';
import { statusIn, statusIs } from './status-sql.ts';

export interface ActivityBucket {
  at: Date;
  sent: number;
  delivered: number;
  failed: number;
  replied: number;
  handed_off: number;
}

export interface SenderActivity {
  from: string;
  sent: number;
  delivered: number;
  failed: number;
}

const bin = (step: number, column: RawBuilder<unknown>) =>
  sql`date_bin(make_interval(secs => ${step}), ${column}, TIMESTAMPTZ 'epoch')`;

function series(step: number, from: Date, to: Date) {
  return sql`SELECT generate_series(${bin(step, sql`${from}::timestamptz`)}, ${to}::timestamptz, make_interval(secs => ${step})) AS at`;
}

export async function campaignActivity(
  db: Db,
  campaignId: string,
  range: { from: Date; to: Date; step: number },
): Promise<ActivityBucket[]> {
  const { from, to, step } = range;
  const { rows } = await sql<ActivityBucket>`
    WITH buckets AS (${series(step, from, to)}),
    sent AS (
      SELECT ${bin(step, sql`sent_at`)} AS at, count(*)::int AS n FROM messages
       WHERE campaign_id = ${campaignId} AND sent_at >= ${bin(step, sql`${from}::timestamptz`)}
       GROUP BY 1),
    settled AS (
      SELECT ${bin(step, sql`final_at`)} AS at,
             count(*) FILTER (WHERE ${statusIs('status', 'delivered')})::int AS delivered,
             count(*) FILTER (WHERE ${statusIn('status', 'failed')})::int AS failed
        FROM messages
       WHERE campaign_id = ${campaignId} AND final_at >= ${bin(step, sql`${from}::timestamptz`)}
       GROUP BY 1),
    replies AS (
      SELECT ${bin(step, sql`received_at`)} AS at, count(*)::int AS n FROM inbound_messages
       WHERE campaign_id = ${campaignId} GROUP BY 1),
    handoffs AS (
      SELECT ${bin(step, sql`handed_off_at`)} AS at, count(*)::int AS n FROM conversation_handoffs
       WHERE campaign_id = ${campaignId} AND handed_off_at IS NOT NULL GROUP BY 1)
    SELECT b.at,
           coalesce(sent.n, 0) AS sent,
           coalesce(settled.delivered, 0) AS delivered,
           coalesce(settled.failed, 0) AS failed,
           coalesce(replies.n, 0) AS replied,
           coalesce(handoffs.n, 0) AS handed_off
      FROM buckets b
      LEFT JOIN sent ON sent.at = b.at
      LEFT JOIN settled ON settled.at = b.at
      LEFT JOIN replies ON replies.at = b.at
      LEFT JOIN handoffs ON handoffs.at = b.at
     ORDER BY b.at`.execute(db);
  return rows;
}

/** Per sender number: what the campaign sent from it and how much of that was delivered. */
export async function campaignSenders(db: Db, campaignId: string): Promise<SenderActivity[]> {
  const { rows } = await sql<SenderActivity>`
    SELECT from_phone AS "from",
           count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent,
           count(*) FILTER (WHERE ${statusIs('status', 'delivered')})::int AS delivered,
           count(*) FILTER (WHERE ${statusIn('status', 'failed')})::int AS failed
      FROM messages
     WHERE campaign_id = ${campaignId} AND from_phone IS NOT NULL
     GROUP BY from_phone
     ORDER BY sent DESC, from_phone`.execute(db);
  return rows;
}

/** One sender number's messages (campaigns and one-offs) by when they were sent. */
export async function numberActivity(
  db: Db,
  numberId: string,
  range: { from: Date; to: Date; step: number },
): Promise<Omit<ActivityBucket, 'replied' | 'handed_off'>[]> {
  const { from, to, step } = range;
  const { rows } = await sql<Omit<ActivityBucket, 'replied' | 'handed_off'>>`
    WITH buckets AS (${series(step, from, to)}),
    sent AS (
      SELECT ${bin(step, sql`sent_at`)} AS at,
             count(*)::int AS sent,
             count(*) FILTER (WHERE ${statusIs('status', 'delivered')})::int AS delivered,
             count(*) FILTER (WHERE ${statusIn('status', 'failed')})::int AS failed
        FROM messages
       WHERE from_number_id = ${numberId} AND sent_at IS NOT NULL
         AND sent_at >= ${bin(step, sql`${from}::timestamptz`)}
       GROUP BY 1)
    SELECT b.at, coalesce(sent.sent, 0) AS sent, coalesce(sent.delivered, 0) AS delivered,
           coalesce(sent.failed, 0) AS failed
      FROM buckets b LEFT JOIN sent ON sent.at = b.at
     ORDER BY b.at`.execute(db);
  return rows;
}
