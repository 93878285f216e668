import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { validateTemplate } from '../../core/template.ts';
import { audienceSample } from '../../db/audience-sample.ts';
import { stepSegmentsView } from '../campaign-segments.ts';
import { checkHandoffTexts, checkStepTemplates } from '../campaign-templates.ts';
import { attributeKey } from '../csv/header.ts';
import { stepCounts } from '../../db/drip.ts';
import { campaignFunnel } from '../../db/funnel.ts';
import { knownSuppressionLists } from '../campaign-suppression.ts';
import {
  campaignSuppressionListIds,
  setCampaignSuppressionLists,
} from '../../db/suppression-lists.ts';
import { campaignProgress, waitingByReason } from '../../db/waiting.ts';
import { campaignStall } from '../../core/campaign-stall.ts';
import { legalFloor } from '../../core/legal-floor.ts';
import { nextDripRun } from '../drip-schedule.ts';
import type { Campaign } from '../../db/tables.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { loadCampaign, temporalUiUrl } from '../campaign-lookup.ts';
import {
  campaignId,
  campaignInput,
  campaignView,
  messagesQuery,
  messageView,
} from '../schemas/campaign.ts';

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

export const campaignRoutes: FastifyPluginAsyncZod<ApiDeps> = async (
  app,
  { db, temporal, config },
) => {
  const uiUrl = (workflowId: string) => temporalUiUrl(config, workflowId);
  const load = (id: string) => loadCampaign(db, id);

  async function stalled(campaign: Campaign) {
    if (campaign.status !== 'running') return null;
    const [progress, waiting] = await Promise.all([
      campaignProgress(db, campaign.id),
      waitingByReason(db, campaign.id, null),
    ]);
    const stall = campaignStall({
      status: campaign.status,
      ...progress,
      launchedAt: campaign.launched_at,
      waiting,
      now: new Date(),
      stallMs: config.CAMPAIGN_STALL_SECONDS * 1000,
    });
    if (stall === null) return null;
    return {
      since: stall.since.toISOString(),
      reason: stall.reason,
      waiting: stall.waiting,
      deferred_until: iso(stall.deferredUntil),
    };
  }

  async function view(campaign: Campaign) {
    const floor = legalFloor(campaign.quiet_hours);
    const [steps, counts, sample, suppressionLists] = await Promise.all([
      db
        .selectFrom('campaign_steps')
        .selectAll()
        .where('campaign_id', '=', campaign.id)
        .orderBy('step')
        .execute(),
      stepCounts(db, campaign.id),
      audienceSample(db, campaign.audience_id),
      campaignSuppressionListIds(db, campaign.id),
    ]);
    return {
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      audience_id: campaign.audience_id,
      sms_pool_id: campaign.sms_pool_id,
      followup_pool_id: campaign.followup_pool_id,
      handoff: {
        mode: campaign.handoff_mode ?? config.HANDOFF_MODE,
        followup_text: campaign.followup_text ?? config.FOLLOWUP_TEXT,
        text_us_text: campaign.text_us_text ?? config.TEXT_US_TEXT,
      },
      sending_window: campaign.quiet_hours,
      sending_window_effective: floor.effective,
      legal_floor: floor,
      max_segments: campaign.max_segments,
      retry_policy: campaign.retry_policy,
      frequency_cap: campaign.frequency_cap,
      suppression_list_ids: suppressionLists,
      steps: steps.map((s) => ({
        step: s.step,
        template: s.template,
        delay_seconds: s.delay_seconds,
        condition: s.condition,
        condition_keyword: s.condition_keyword,
        segments: stepSegmentsView(s.template, sample),
        counts: counts.find((c) => c.step === s.step) ?? {
          targeted: 0,
          pending: 0,
          sent: 0,
          delivered: 0,
          failed: 0,
          skipped: 0,
          cancelled: 0,
        },
      })),
      drip: campaign.drip_schedule,
      next_drip_run_at:
        steps.length > 1 && campaign.workflow_id !== null
          ? await nextDripRun(temporal, campaign.id)
          : null,
      workflow_id: campaign.workflow_id,
      temporal_ui_url: campaign.workflow_id === null ? null : uiUrl(campaign.workflow_id),
      created_at: campaign.created_at.toISOString(),
      launched_at: iso(campaign.launched_at),
      finished_at: iso(campaign.finished_at),
      funnel: await campaignFunnel(db, campaign.id),
      stalled: await stalled(campaign),
    };
  }

  app.post(
    '/campaigns',
    { schema: { body: campaignInput, response: { 201: campaignView } } },
    async (request, reply) => {
      const input = request.body;
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
      const created = await db.transaction().execute(async (trx) => {
        const campaign = await trx
          .insertInto('campaigns')
          .values({
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
            workflow_id: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await setCampaignSuppressionLists(trx, campaign.id, suppressionListIds);
        await trx
          .insertInto('campaign_steps')
          .values(
            input.steps.map((step, index) => ({
              campaign_id: campaign.id,
              step: index,
              template: step.template,
              delay_seconds: step.delay_seconds,
              condition: step.condition,
              condition_keyword: step.condition_keyword ?? null,
            })),
          )
          .execute();
        return campaign;
      });
      return reply.status(201).send(await view(created));
    },
  );

  app.get(
    '/campaigns/:id',
    { schema: { params: campaignId, response: { 200: campaignView } } },
    async (request) => view(await load(request.params.id)),
  );

  app.get(
    '/campaigns/:id/messages',
    {
      schema: {
        params: campaignId,
        querystring: messagesQuery,
        response: {
          200: z.object({ messages: z.array(messageView), next_cursor: z.string().nullable() }),
        },
      },
    },
    async (request) => {
      await load(request.params.id);
      const { status, limit, cursor } = request.query;
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where('campaign_id', '=', request.params.id)
        .$if(status !== undefined, (q) => q.where('status', '=', status ?? 'pending'))
        .$if(cursor !== undefined, (q) => q.where('id', '>', cursor ?? '0'))
        .orderBy('id')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      return {
        messages: page.map((m) => ({
          id: m.id,
          step: m.step,
          contact_id: m.contact_id,
          to: m.to_phone,
          from: m.from_phone,
          body: m.body,
          segments: m.segments,
          status: m.status,
          error_code: m.error_code,
          skip_reason: m.skip_reason,
          attempts: m.attempts,
          next_attempt_at: m.next_attempt_at?.toISOString() ?? null,
          wait_reason: m.wait_reason,
          wait_detail:
            m.wait_reason === 'legal_holiday' || m.wait_reason === 'sunday_ban'
              ? m.wait_detail
              : null,
          deferred_until:
            m.wait_reason === null ? null : (m.next_attempt_at?.toISOString() ?? null),
          provider_sid: m.provider_sid,
          updated_at: m.updated_at.toISOString(),
        })),
        next_cursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },
  );
};
