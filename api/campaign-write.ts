import { validateTemplate } from '../core/template.ts';
import type { Db } from '../db/connect.ts';
import { setCampaignSuppressionLists } from '../db/suppression-lists.ts';
import { GLOBAL_SUPPRESSION_LIST, type Campaign, type CampaignStep } from '../db/tables.ts';
import { knownSuppressionLists } from './campaign-suppression.ts';
import { assertAudiencesExist } from './campaign-targeting.ts';
import { checkHandoffTexts, checkStepTemplates } from './campaign-templates.ts';
import { attributeKey } from './csv/header.ts';
import { ApiError } from './errors.ts';
import type { campaignFields, CampaignInput } from './schemas/campaign.ts';
import type { z } from 'zod';

/**
 * What creating a campaign and changing a draft share: one check of the whole campaign (its
 * audience, pools, suppression lists and templates) and one way to store it, so both refuse
 * and keep exactly the same things.
 */

/** Checks a campaign against the database; returns the suppression lists it names. */
export async function checkCampaign(db: Db, input: CampaignInput): Promise<string[]> {
  const audience = await db
    .selectFrom('audiences')
    .select(['id', 'columns'])
    .where('id', '=', input.audience_id)
    .executeTakeFirst();
  if (audience === undefined)
    throw new ApiError(422, 'unknown_audience', `Audience ${input.audience_id} does not exist`);
  const pools = await db
    .selectFrom('pools')
    .select(['id', 'provider'])
    .where('id', 'in', [
      input.sms_pool_id,
      ...(input.followup_pool_id ? [input.followup_pool_id] : []),
    ])
    .execute();
  const sms = pools.find((pool) => pool.id === input.sms_pool_id);
  if (sms === undefined)
    throw new ApiError(422, 'unknown_pool', `SMS pool ${input.sms_pool_id} does not exist`);
  if (sms.provider !== 'twilio')
    throw new ApiError(422, 'wrong_pool_provider', 'sms_pool_id must be a twilio pool');
  if (input.followup_pool_id !== undefined) {
    const followup = pools.find((pool) => pool.id === input.followup_pool_id);
    if (followup === undefined)
      throw new ApiError(
        422,
        'unknown_pool',
        `Follow-up pool ${input.followup_pool_id} does not exist`,
      );
    if (followup.provider !== 'blooio')
      throw new ApiError(422, 'wrong_pool_provider', 'followup_pool_id must be a blooio pool');
  }
  await assertAudiencesExist(db, input.exclude_audience_ids);
  const suppressionListIds = await knownSuppressionLists(db, input.suppression_list_ids);
  checkStepTemplates(input.steps, input.max_segments);
  checkHandoffTexts(input.handoff ?? {});
  // {{followup_number}} is the contact's Blooio line: there must be a pool to give one.
  const builtIn = input.followup_pool_id === undefined ? [] : ['followup_number'];
  const problems = input.steps.flatMap((step, index) => {
    const check = validateTemplate(step.template, [
      ...audience.columns.map(attributeKey),
      ...builtIn,
    ]);
    return check.ok ? [] : [{ step: index, missing: check.missing, message: check.message }];
  });
  if (problems.length > 0) {
    throw new ApiError(
      422,
      'template_variables_missing',
      problems.some((problem) => problem.missing.includes('followup_number'))
        ? "{{followup_number}} is the contact's Blooio line: it needs a followup_pool_id"
        : "A template uses variables the audience's columns do not have",
      problems,
    );
  }
  return suppressionListIds;
}

/** The `campaigns` columns a campaign's input sets. */
export function campaignColumns(input: CampaignInput) {
  return {
    name: input.name,
    audience_id: input.audience_id,
    sms_pool_id: input.sms_pool_id,
    followup_pool_id: input.followup_pool_id ?? null,
    quiet_hours: JSON.stringify(input.sending_window),
    max_segments: input.max_segments,
    retry_policy: JSON.stringify(input.retry_policy),
    drip_schedule: JSON.stringify(input.drip),
    help_text: input.help_text ?? null,
    interested_keywords: input.interested_keywords,
    handoff_mode: input.handoff?.mode ?? null,
    followup_text: input.handoff?.followup_text ?? null,
    text_us_text: input.handoff?.text_us_text ?? null,
    frequency_cap: JSON.stringify(input.frequency_cap),
    start_at: input.start_at ?? null,
    filter: input.filter === undefined ? null : JSON.stringify(input.filter),
    exclude_audience_ids: input.exclude_audience_ids,
  };
}

/** Stores a campaign's steps and suppression lists, replacing any it had (in `trx`). */
export async function saveCampaignParts(
  trx: Db,
  campaignId: string,
  input: CampaignInput,
  suppressionListIds: readonly string[],
): Promise<void> {
  await trx.deleteFrom('campaign_steps').where('campaign_id', '=', campaignId).execute();
  await trx
    .deleteFrom('campaign_suppression_lists')
    .where('campaign_id', '=', campaignId)
    .execute();
  await setCampaignSuppressionLists(trx, campaignId, suppressionListIds);
  await trx
    .insertInto('campaign_steps')
    .values(
      input.steps.map((step, index) => ({
        campaign_id: campaignId,
        step: index,
        template: step.template,
        delay_seconds: step.delay_seconds,
        condition: step.condition,
        condition_keyword: step.condition_keyword ?? null,
        media_urls:
          step.media_urls === undefined || step.media_urls.length === 0
            ? null
            : JSON.stringify(step.media_urls),
      })),
    )
    .execute();
}

/**
 * A stored campaign as the input that would create it: what a PATCH is laid over. Every field
 * of the create schema is named (`satisfies`), so a field added to create and not here fails
 * to compile instead of being dropped by a PATCH.
 */
export function campaignInputOf(
  campaign: Campaign,
  steps: readonly CampaignStep[],
  suppressionListIds: readonly string[],
): z.input<typeof campaignFields> {
  const handoff = {
    ...(campaign.handoff_mode === null ? {} : { mode: campaign.handoff_mode }),
    ...(campaign.followup_text === null ? {} : { followup_text: campaign.followup_text }),
    ...(campaign.text_us_text === null ? {} : { text_us_text: campaign.text_us_text }),
  };
  const input = {
    name: campaign.name,
    audience_id: campaign.audience_id,
    sms_pool_id: campaign.sms_pool_id,
    followup_pool_id: campaign.followup_pool_id ?? undefined,
    steps: steps.map((step) => ({
      template: step.template,
      delay_seconds: step.delay_seconds,
      condition: step.condition,
      ...(step.condition_keyword === null ? {} : { condition_keyword: step.condition_keyword }),
      ...(step.media_urls === null ? {} : { media_urls: step.media_urls }),
    })),
    start_at: campaign.start_at?.toISOString(),
    filter: campaign.filter ?? undefined,
    exclude_audience_ids: campaign.exclude_audience_ids,
    sending_window: campaign.quiet_hours,
    quiet_hours: undefined,
    max_segments: campaign.max_segments,
    retry_policy: campaign.retry_policy,
    help_text: campaign.help_text ?? undefined,
    handoff: Object.keys(handoff).length === 0 ? undefined : handoff,
    frequency_cap: campaign.frequency_cap,
    suppression_list_ids: suppressionListIds.filter((id) => id !== GLOBAL_SUPPRESSION_LIST),
    interested_keywords: campaign.interested_keywords,
    drip: campaign.drip_schedule,
  } satisfies Record<keyof typeof campaignFields.shape, unknown>;
  return input;
}
