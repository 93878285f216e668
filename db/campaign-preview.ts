import { sql } from 'kysely';
import type { ReasonGroup } from '../core/campaign-preview.ts';
import type { CapWindow } from '../core/frequency-cap.ts';
import type { Db } from './connect.ts';
import { contactFilterSql, excludedAudienceSql } from './contact-filter-sql.ts';
import type { Targeting } from './messages.ts';
import { statusIn, statusIs } from './status-sql.ts';
import { GLOBAL_SUPPRESSION_LIST } from './tables.ts';

/** Contacts of one first reason (null: nothing in SQL stops them) in one zone and state. */
export type PreviewGroup = ReasonGroup;

export interface PreviewQuery {
  campaignId: string;
  audienceId: string;
  targeting: Targeting;
  /** Variables step 0 needs a value for (no fallback): a contact without one is `invalid`. */
  requiredVariables: readonly string[];
  cap: CapWindow | null;
  now: Date;
}

const attributes = sql`COALESCE(am.attributes, c.attributes)`;

/**
 * The audience counted by the first reason it would not be texted for, grouped by zone and
 * state so the caller can judge the sending window once per group: one aggregate statement
 * over the audience, whatever its size.
 */
export async function previewGroups(db: Db, query: PreviewQuery): Promise<PreviewGroup[]> {
  const { campaignId, targeting, cap, now } = query;
  const invalid =
    query.requiredVariables.length === 0
      ? sql`false`
      : sql`(${sql.join(
          query.requiredVariables.map(
            (name) => sql`COALESCE(btrim(${attributes} ->> ${name}::text), '') = ''`,
          ),
          sql` OR `,
        )})`;
  const capped =
    cap === null
      ? sql`false`
      : sql`((SELECT count(*) FROM messages r
               WHERE r.contact_id = c.id
                 AND (${statusIs('r.status', 'sending')}
                      OR (r.attempts > 0 AND EXISTS (SELECT 1 FROM message_attempts x
                            WHERE x.message_id = r.id
                              AND x.created_at > ${new Date(now.getTime() - cap.windowMs)}::timestamptz)))
             ) >= ${cap.max})`;
  const result = await sql<PreviewGroup>`
    SELECT t.reason, t.time_zone, t.region, count(*)::int AS n FROM (
      SELECT c.time_zone, c.region, CASE
        WHEN EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = ${campaignId} AND m.step = 0
                        AND m.contact_id = c.id AND NOT ${statusIn('m.status', 'unresolved')})
          THEN 'already_messaged'
        WHEN c.opted_out_at IS NOT NULL THEN 'opted_out'
        WHEN ${excludedAudienceSql(targeting.excludeAudienceIds)} THEN 'excluded_audience'
        WHEN NOT COALESCE(${contactFilterSql(targeting.filter)}, false) THEN 'filtered_out'
        WHEN EXISTS (SELECT 1 FROM suppression_entries e WHERE e.list_id = ${GLOBAL_SUPPRESSION_LIST} AND e.phone = c.phone)
          OR EXISTS (SELECT 1 FROM campaign_suppression_lists cs
                       JOIN suppression_entries e ON e.list_id = cs.list_id AND e.phone = c.phone
                      WHERE cs.campaign_id = ${campaignId})
          THEN 'suppressed'
        WHEN ${invalid} THEN 'invalid'
        WHEN ${capped} THEN 'frequency_capped'
      END AS reason
        FROM audience_members am JOIN contacts c ON c.id = am.contact_id
       WHERE am.audience_id = ${query.audienceId}) t
     GROUP BY 1, 2, 3`.execute(db);
  return result.rows;
}

export interface PreviewContact {
  contact_id: string;
  phone: string;
  attributes: Record<string, string>;
}

/** The first `limit` contacts (by id) nothing in SQL stops: whose messages the preview renders. */
export async function previewContacts(
  db: Db,
  query: Pick<PreviewQuery, 'audienceId' | 'targeting'>,
  limit: number,
): Promise<PreviewContact[]> {
  const result = await sql<PreviewContact>`
    SELECT c.id::text AS contact_id, c.phone, ${attributes} AS attributes
      FROM audience_members am JOIN contacts c ON c.id = am.contact_id
     WHERE am.audience_id = ${query.audienceId} AND c.opted_out_at IS NULL
       AND NOT ${excludedAudienceSql(query.targeting.excludeAudienceIds)}
       AND COALESCE(${contactFilterSql(query.targeting.filter)}, false)
     ORDER BY am.contact_id
     LIMIT ${limit}`.execute(db);
  return result.rows;
}
