import { sql } from 'kysely';
import type { Db } from './connect.ts';
import { GLOBAL_SUPPRESSION_LIST, type MessageStatus } from './tables.ts';
import type { ContactRange } from '../core/campaign-contracts.ts';
import type { RetryPolicy } from '../core/carrier-errors.ts';
import { statusIn, statusLit } from './status-sql.ts';
import { contactFilterSql, excludedAudienceSql } from './contact-filter-sql.ts';
import type { ContactFilter } from '../core/contact-filter.ts';
import { PREPARED } from './prepared.ts';

/** Who of the audience a campaign texts: its filter and the audiences it excludes. */
export interface Targeting {
  filter: ContactFilter | null;
  excludeAudienceIds: readonly string[];
}

export const EVERYONE: Targeting = { filter: null, excludeAudienceIds: [] };

/** A message row joined with what sending it needs to know about its contact. */
export interface SendableMessage {
  id: string;
  contact_id: string;
  to_phone: string;
  status: MessageStatus;
  attempts: number;
  from_number_id: string | null;
  from_phone: string | null;
  body: string | null;
  updated_at: Date;
  /** The send that claimed this row last; every transition compares it (and the status). */
  claim_token: string | null;
  error_code: number | null;
  /** When the carrier first had no trace of this row's last send (see `carrier_absent_at`). */
  carrier_absent_at: Date | null;
  attributes: Record<string, string>;
  area_code: string | null;
  region: string | null;
  time_zone: string | null;
  opted_out: boolean;
  /** The number is on the global suppression list or on one the campaign honours. */
  suppressed: boolean;
  used_number_ids: string[];
  /** Media sent with it (an MMS), once claimed or when its caller gave them (a one-off). */
  media_urls: string[] | null;
  /** A one-off's retry policy (null: its campaign's). */
  retry_policy: RetryPolicy | null;
  /** The `from_number` a one-off's caller required. */
  requested_from: string | null;
  /** The send slot reserved for a one-off when it was accepted, for its first claim. */
  slot_at: Date | null;
}

/** Contact-id boundaries of the next `batches` keyset batches of the audience after `after`. */
export async function planRanges(
  db: Db,
  audienceId: string,
  after: string | null,
  batches: number,
  batchSize: number,
): Promise<{ ranges: ContactRange[]; exhausted: boolean }> {
  const rows = await db
    .selectFrom('audience_members')
    .select('contact_id')
    .where('audience_id', '=', audienceId)
    .$if(after !== null, (query) => query.where('contact_id', '>', after ?? '0'))
    .orderBy('contact_id')
    .limit(batches * batchSize)
    .execute();
  const ranges: ContactRange[] = [];
  let lower = after;
  for (let end = batchSize - 1; end < rows.length + batchSize - 1; end += batchSize) {
    const upTo = rows[Math.min(end, rows.length - 1)]?.contact_id;
    if (upTo === undefined) break;
    ranges.push({ after: lower, upTo });
    lower = upTo;
  }
  return { ranges, exhausted: rows.length < batches * batchSize };
}

/**
 * Why the campaign does not text contact `c` (a `skipped` row's reason), or NULL when it
 * does: opted out, in an excluded audience, or left out by the filter, checked in that order.
 * Over `contacts c` and its membership `am` of the campaign's audience.
 */
export const targetSkipReason = (targeting: Targeting) => sql<string | null>`CASE
             WHEN c.opted_out_at IS NOT NULL THEN 'opted_out'
             WHEN ${excludedAudienceSql(targeting.excludeAudienceIds)} THEN 'excluded_audience'
             WHEN NOT COALESCE(${contactFilterSql(targeting.filter)}, false) THEN 'filtered_out'
           END`;

/**
 * Creates the (campaign, step, contact) rows of a range once. Contacts the campaign does not
 * text are rows too, `skipped` with the reason (`targetSkipReason`), so the funnel accounts
 * for everyone.
 */
export async function materializeRange(
  db: Db,
  campaignId: string,
  audienceId: string,
  step: number,
  range: ContactRange,
  targeting: Targeting = EVERYONE,
): Promise<void> {
  const skipReason = targetSkipReason(targeting);
  await sql`${PREPARED}
    INSERT INTO messages (campaign_id, step, contact_id, to_phone, status, skip_reason, final_at)
    SELECT ${campaignId}, ${step}, t.id, t.phone,
           CASE WHEN t.reason IS NULL THEN ${statusLit('pending')} ELSE ${statusLit('skipped')} END,
           t.reason,
           CASE WHEN t.reason IS NULL THEN NULL ELSE now() END
      FROM (SELECT c.id, c.phone, ${skipReason} AS reason
              FROM audience_members am JOIN contacts c ON c.id = am.contact_id
             WHERE am.audience_id = ${audienceId}
               AND am.contact_id > ${range.after ?? '0'} AND am.contact_id <= ${range.upTo}) t
    ON CONFLICT (campaign_id, step, contact_id) DO NOTHING
  `.execute(db);
}

/**
 * `messages m`, its contact `c` and the contact's membership `am` in the campaign's audience:
 * a message renders from that audience's values (`am.attributes`), which a later upload of the
 * same phone to another audience leaves alone. A membership without values of its own (made
 * before audiences kept them, or one statement at a time) renders from the contact's, and so
 * does a one-off (no audience: null).
 */
export const sendableFrom = (audienceId: string | null) => sql`
  messages m JOIN contacts c ON c.id = m.contact_id
  LEFT JOIN audience_members am ON am.audience_id = ${audienceId} AND am.contact_id = m.contact_id`;

/**
 * Whether `m.to_phone` is on the global suppression list or one `m`'s campaign honours:
 * read at send time, so entries added while a campaign runs hold for its rows not yet sent.
 */
const suppressedColumn = sql`(
  EXISTS (SELECT 1 FROM suppression_entries e WHERE e.list_id = ${GLOBAL_SUPPRESSION_LIST} AND e.phone = m.to_phone)
  OR EXISTS (SELECT 1 FROM campaign_suppression_lists cs
               JOIN suppression_entries e ON e.list_id = cs.list_id AND e.phone = m.to_phone
              WHERE cs.campaign_id = m.campaign_id))`;

/** The columns of a `SendableMessage`, over `sendableFrom`. */
export const sendableColumns = sql`
  m.id::text AS id, m.contact_id::text AS contact_id, m.to_phone, m.status, m.attempts,
  m.from_number_id::text AS from_number_id, m.from_phone, m.body, m.updated_at, m.claim_token, m.error_code, m.carrier_absent_at,
  COALESCE(am.attributes, c.attributes) AS attributes, c.area_code, c.region, c.time_zone, (c.opted_out_at IS NOT NULL) AS opted_out,
  ${suppressedColumn} AS suppressed, m.media_urls, m.retry_policy, m.requested_from, m.slot_at,
  COALESCE((SELECT array_agg(DISTINCT a.from_number_id::text) FROM message_attempts a
             WHERE a.message_id = m.id AND a.from_number_id IS NOT NULL), '{}') AS used_number_ids`;

/**
 * Rows that need work now, over `messages m`: never sent, due for a retry, an ambiguous send
 * due to be asked about, or a claim whose lease ended (its sender died or gave up). Every such
 * row has a definite time it comes due, so nothing is stranded; `dueSummary` counts the same.
 */
export const dueNow = (now: Date) => sql`
  m.provider_sid IS NULL AND ${statusIn('m.status', 'unresolved')}
  AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= ${now})`;

/** Rows of a range that still need a send (or a reconcile, when left in `sending`). */
export async function sendableInRange(
  db: Db,
  campaign: { id: string; audienceId: string },
  step: number,
  range: ContactRange,
  now: Date,
): Promise<SendableMessage[]> {
  const result = await sql<SendableMessage>`${PREPARED}
    SELECT ${sendableColumns}
      FROM ${sendableFrom(campaign.audienceId)}
     WHERE m.campaign_id = ${campaign.id} AND m.step = ${step}
       AND m.contact_id > ${range.after ?? '0'} AND m.contact_id <= ${range.upTo}
       AND ${dueNow(now)}
     ORDER BY m.contact_id`.execute(db);
  return result.rows;
}

/** Broadcast rows that have come due (retries, deferred recipients, lost answers), one slice. */
export async function dueMessages(
  db: Db,
  campaign: { id: string; audienceId: string },
  now: Date,
  slice: number,
  slices: number,
  limit: number,
): Promise<SendableMessage[]> {
  const result = await sql<SendableMessage>`${PREPARED}
    SELECT ${sendableColumns}
      FROM ${sendableFrom(campaign.audienceId)}
     WHERE m.campaign_id = ${campaign.id} AND m.step = 0 AND ${dueNow(now)}
       AND m.id % ${slices} = ${slice}
     ORDER BY m.next_attempt_at NULLS FIRST
     LIMIT ${limit}`.execute(db);
  return result.rows;
}

/** Whose messages: a campaign's, or a pool's one-off sends (rows with no campaign). */
export type MessageScope = { campaignId: string } | { oneOffPoolId: string };

/** The rows of `scope`, over `messages m`. */
export const ownedBy = (scope: MessageScope) =>
  'campaignId' in scope
    ? sql`m.campaign_id = ${scope.campaignId}`
    : sql`m.campaign_id IS NULL AND m.pool_id = ${scope.oneOffPoolId}`;

/** A pool's one-off sends that have come due (new, retries, deferred, lost answers), one slice. */
export async function dueOneOffMessages(
  db: Db,
  poolId: string,
  now: Date,
  slice: number,
  slices: number,
  limit: number,
): Promise<SendableMessage[]> {
  const result = await sql<SendableMessage>`${PREPARED}
    SELECT ${sendableColumns}
      FROM ${sendableFrom(null)}
     WHERE ${ownedBy({ oneOffPoolId: poolId })} AND ${dueNow(now)}
       AND m.id % ${slices} = ${slice}
     ORDER BY m.next_attempt_at NULLS FIRST, m.id
     LIMIT ${limit}`.execute(db);
  return result.rows;
}

export interface DueSummary {
  due_now: number;
  next_due_at: Date | null;
  awaiting_status: number;
  stale: number;
}

export async function dueSummary(
  db: Db,
  scope: MessageScope,
  now: Date,
  statusTimeoutSeconds: number,
): Promise<DueSummary> {
  const staleBefore = new Date(now.getTime() - statusTimeoutSeconds * 1000);
  const result = await sql<DueSummary>`${PREPARED}
    SELECT
      count(*) FILTER (WHERE ${dueNow(now)})::int AS due_now,
      min(m.next_attempt_at) FILTER (WHERE m.provider_sid IS NULL AND ${statusIn('m.status', 'unresolved')}
                                       AND m.next_attempt_at > ${now}) AS next_due_at,
      count(*) FILTER (WHERE m.provider_sid IS NOT NULL AND ${statusIn('m.status', 'awaitingCarrier')} AND m.updated_at >= ${staleBefore})::int AS awaiting_status,
      count(*) FILTER (WHERE m.provider_sid IS NOT NULL AND ${statusIn('m.status', 'awaitingCarrier')} AND m.updated_at < ${staleBefore})::int AS stale
    FROM messages m WHERE ${ownedBy(scope)} AND m.step = 0`.execute(db);
  const row = result.rows[0];
  return row ?? { due_now: 0, next_due_at: null, awaiting_status: 0, stale: 0 };
}

export interface StaleMessage {
  id: string;
  provider_sid: string | null;
  to_phone: string;
  from_phone: string | null;
  body: string | null;
  updated_at: Date;
}

export async function staleMessages(
  db: Db,
  scope: MessageScope,
  olderThan: Date,
  limit: number,
): Promise<StaleMessage[]> {
  const result = await sql<StaleMessage>`
    SELECT m.id::text AS id, m.provider_sid, m.to_phone, m.from_phone, m.body, m.updated_at
      FROM messages m
     WHERE ${ownedBy(scope)} AND m.provider_sid IS NOT NULL
       AND ${statusIn('m.status', 'awaitingCarrier')} AND m.updated_at < ${olderThan}
     LIMIT ${limit}`.execute(db);
  return result.rows;
}
