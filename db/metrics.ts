import { sql } from 'kysely';
import { FINISHED_CAMPAIGN_STATUSES } from '../core/campaign-status.ts';
import type { Db } from './connect.ts';

/**
 * What the API's `/metrics` reads from PostgreSQL, each a grouped count the indexes answer:
 * messages by (campaign, status) through `messages_campaign_status`, a number's last-minute
 * sends through `messages_from_number_sent`, its last hour of outcomes through
 * `sender_outcomes_number_at`. Finished campaigns drop out a day after they end, so neither
 * the scan nor the number of series grows with history.
 */
export interface CampaignMessageCount {
  campaign_id: string;
  status: string;
  n: number;
}

export interface NumberFigures {
  pool_id: string;
  provider: string;
  phone: string;
  state: string;
  mps: number;
  sent_last_minute: number;
  delivered: number;
  undelivered: number;
  failed: number;
  /** Sender-attributable outcomes (number health's view): delivered, and failures it caused. */
  good: number;
  bad: number;
}

const FINISHED_KEPT = sql`interval '1 day'`;

export async function campaignMessageCounts(db: Db): Promise<CampaignMessageCount[]> {
  const { rows } = await sql<CampaignMessageCount>`
    SELECT m.campaign_id, m.status, count(*)::int AS n
      FROM messages m
     WHERE m.campaign_id IN (
             SELECT c.id FROM campaigns c
              WHERE c.status <> ALL(${[...FINISHED_CAMPAIGN_STATUSES]}::text[])
                 OR c.finished_at > now() - ${FINISHED_KEPT})
     GROUP BY m.campaign_id, m.status`.execute(db);
  return rows;
}

export async function campaignsByStatus(db: Db): Promise<{ status: string; n: number }[]> {
  const { rows } = await sql<{ status: string; n: number }>`
    SELECT status, count(*)::int AS n FROM campaigns GROUP BY status`.execute(db);
  return rows;
}

/** Running campaigns: the ones that can stall. */
export async function runningCampaigns(
  db: Db,
): Promise<{ id: string; status: string; launched_at: Date | null }[]> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'status', 'launched_at'])
    .where('status', '=', 'running')
    .execute();
}

export async function numberFigures(db: Db): Promise<NumberFigures[]> {
  const { rows } = await sql<NumberFigures>`
    SELECT n.pool_id, p.provider, n.phone, n.state, n.mps::float8 AS mps,
           (SELECT count(*)::int FROM messages m
             WHERE m.from_number_id = n.id AND m.sent_at IS NOT NULL
               AND m.sent_at > now() - interval '1 minute') AS sent_last_minute,
           o.delivered, o.undelivered, o.failed, o.good, o.bad
      FROM sender_numbers n
      JOIN pools p ON p.id = n.pool_id
      CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE s.status = 'delivered')::int AS delivered,
               count(*) FILTER (WHERE s.status = 'undelivered')::int AS undelivered,
               count(*) FILTER (WHERE s.status = 'failed')::int AS failed,
               count(*) FILTER (WHERE s.attribution = 'good')::int AS good,
               count(*) FILTER (WHERE s.attribution = 'bad')::int AS bad
          FROM sender_outcomes s
         WHERE s.number_id = n.id AND s.at > now() - interval '1 hour') o
     ORDER BY n.pool_id, n.phone`.execute(db);
  return rows;
}

export async function consentEventCounts(
  db: Db,
): Promise<{ action: string; source: string; n: number }[]> {
  const { rows } = await sql<{ action: string; source: string; n: number }>`
    SELECT action, source, count(*)::int AS n FROM consent_events GROUP BY action, source`.execute(
    db,
  );
  return rows;
}
