import { sql } from 'kysely';
import { TWILIO_ERRORS } from '../core/carrier-errors.ts';
import { assertNever } from '../core/assert-never.ts';
import type { DripCondition } from '../core/drip-condition.ts';
import type { Db } from './connect.ts';
import { statusIn, statusIs, statusLit } from './status-sql.ts';
import { dueNow, sendableColumns, sendableFrom, type SendableMessage } from './messages.ts';
import type { CampaignStep } from './tables.ts';

/** Error codes after which a contact is done with the campaign (landline, invalid, opted out…). */
const PERMANENT_CODES = [...TWILIO_ERRORS.values()]
  .filter((error) => error.class === 'permanent_recipient' || error.class === 'opted_out')
  .map((error) => error.code);

/** The condition of a drip step as SQL over `prev` (the contact's message of the step before). */
function condition(step: CampaignStep) {
  const replied = sql`EXISTS (
      SELECT 1 FROM inbound_messages i
       WHERE i.contact_id = prev.contact_id AND i.received_at >= first.sent_at
         ${
           step.condition === 'replied' && step.condition_keyword !== null
             ? sql`AND upper(btrim(i.body)) = upper(btrim(${step.condition_keyword}))`
             : sql``
         })`;
  const dripCondition: DripCondition = step.condition;
  switch (dripCondition) {
    case 'no_reply':
      return sql`${statusIn('prev.status', 'reachedCarrier')} AND NOT ${replied}`;
    case 'delivered_no_reply':
      return sql`${statusIs('prev.status', 'delivered')} AND NOT ${replied}`;
    case 'not_delivered':
      return statusIn('prev.status', 'failed');
    case 'replied':
      return replied;
    case 'all':
      return statusIn('prev.status', 'accepted');
    default:
      return assertNever(dripCondition, 'drip condition');
  }
}

/** Contacts' previous step (`prev`), their broadcast (`first`) and themselves (`c`). */
const previousSteps = sql`messages prev
      JOIN messages first ON first.campaign_id = prev.campaign_id AND first.step = 0 AND first.contact_id = prev.contact_id
      JOIN contacts c ON c.id = prev.contact_id`;

/**
 * Contacts who could get drip step `step.step`: they had the step before, have none of this
 * one yet, and have not opted out, been handed off or failed for good.
 */
function candidates(campaignId: string, step: CampaignStep) {
  return sql`prev.campaign_id = ${campaignId} AND prev.step = ${step.step - 1}
       AND c.opted_out_at IS NULL
       AND NOT (${statusIn('prev.status', 'failed')} AND prev.error_code = ANY(${PERMANENT_CODES}::int[]))
       AND NOT EXISTS (SELECT 1 FROM conversations cv WHERE cv.contact_id = prev.contact_id AND cv.handed_off_at IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM messages done WHERE done.campaign_id = prev.campaign_id AND done.step = ${step.step} AND done.contact_id = prev.contact_id)`;
}

/** A previous step sent before this has come due for `step`. */
const dueBefore = (step: CampaignStep, now: Date) =>
  sql`${now}::timestamptz - make_interval(secs => ${step.delay_seconds})`;

/** Conditions that a final status of the previous step decides (it may still arrive). */
const AWAITS_FINAL_STATUS: ReadonlySet<DripCondition> = new Set([
  'delivered_no_reply',
  'not_delivered',
]);

/**
 * Can a drip step still fire for anyone? Yes while a drip row still has to be sent (new, a
 * retry, deferred, to resolve), or a contact may still get a step: their previous step is not
 * sent yet, its delay has not passed, its final status (which the condition reads) is still to
 * come, or they qualify now and the next run takes them. A contact whose step came due without
 * qualifying is done with it: the step is judged once its delay has passed.
 */
export async function dripCanFire(
  db: Db,
  campaignId: string,
  steps: readonly CampaignStep[],
  now: Date,
): Promise<boolean> {
  const dripSteps = steps.filter((step) => step.step > 0);
  if (dripSteps.length === 0) return false;
  const stepCanFire = (step: CampaignStep) => sql`EXISTS (
      SELECT 1 FROM ${previousSteps}
       WHERE ${candidates(campaignId, step)}
         AND (${statusIn('prev.status', 'unresolved')}
              OR prev.sent_at > ${dueBefore(step, now)}
              ${AWAITS_FINAL_STATUS.has(step.condition) ? sql`OR ${statusIn('prev.status', 'awaitingCarrier')}` : sql``}
              OR (prev.sent_at IS NOT NULL AND ${condition(step)})))`;
  const result = await sql<{ open: boolean }>`
    SELECT EXISTS (SELECT 1 FROM messages m
                    WHERE m.campaign_id = ${campaignId} AND m.step > 0 AND ${statusIn('m.status', 'unresolved')})
           OR ${sql.join(dripSteps.map(stepCanFire), sql` OR `)} AS open`.execute(db);
  return result.rows[0]?.open === true;
}

/**
 * Creates the rows of drip step `step.step` for up to `limit` contacts who have come due:
 * their previous step went out at least `delay_seconds` ago and the condition holds. Those
 * who opted out, were handed off to a conversation or failed permanently never qualify.
 * A contact's row is unique per step, so however often this runs, nobody gets a step twice.
 */
export async function materializeDueStep(
  db: Db,
  campaignId: string,
  step: CampaignStep,
  now: Date,
  limit: number,
): Promise<number> {
  const result = await sql`
    INSERT INTO messages (campaign_id, step, contact_id, to_phone, status)
    SELECT ${campaignId}, ${step.step}, prev.contact_id, c.phone, ${statusLit('pending')}
      FROM ${previousSteps}
     WHERE ${candidates(campaignId, step)}
       AND prev.sent_at IS NOT NULL AND prev.sent_at <= ${dueBefore(step, now)}
       AND ${condition(step)}
     ORDER BY prev.contact_id
     LIMIT ${limit}
    ON CONFLICT (campaign_id, step, contact_id) DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Rows of a step still to send now: new, due for a retry, or to resolve (see `dueNow`). */
export async function sendableForStep(
  db: Db,
  campaign: { id: string; audienceId: string },
  step: number,
  now: Date,
  limit: number,
): Promise<SendableMessage[]> {
  const result = await sql<SendableMessage>`
    SELECT ${sendableColumns}
      FROM ${sendableFrom(campaign.audienceId)}
     WHERE m.campaign_id = ${campaign.id} AND m.step = ${step} AND ${dueNow(now)}
     ORDER BY m.id
     LIMIT ${limit}`.execute(db);
  return result.rows;
}
