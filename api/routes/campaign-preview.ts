import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { campaignSendPolicy } from '../../activities/send-policy.ts';
import { previewCounts } from '../../core/campaign-preview.ts';
import { capWindow } from '../../core/frequency-cap.ts';
import { poolCannotSendNow } from '../../core/pool-readiness.ts';
import { countSegments } from '../../core/segments.ts';
import { renderTemplate, templateVariables } from '../../core/template.ts';
import { previewContacts, previewGroups } from '../../db/campaign-preview.ts';
import type { Targeting } from '../../db/messages.ts';
import { loadCampaign } from '../campaign-lookup.ts';
import type { ApiDeps } from '../deps.ts';
import { campaignId } from '../schemas/campaign.ts';
import { previewQuery, previewView } from '../schemas/campaign-preview.ts';

/** The contact's Blooio line, known only once a follow-up pool gives one: a stand-in. */
const FOLLOWUP_BUILT_IN = 'followup_number';

/**
 * `POST /v1/campaigns/:id/preview`: who would be texted if the campaign started now and why
 * the others would not (one aggregate statement over the audience, the sending window judged
 * once per zone and state), and the first messages of every step as rendered for real
 * contacts, with their segments and encoding. Changes nothing.
 */
export const campaignPreviewRoutes: FastifyPluginAsyncZod<ApiDeps> = async (
  app,
  { db, config },
) => {
  app.post(
    '/campaigns/:id/preview',
    {
      schema: {
        summary: 'How many would be texted now, why the others would not, and sample messages',
        params: campaignId,
        querystring: previewQuery,
        response: { 200: previewView },
      },
    },
    async (request) => {
      const campaign = await loadCampaign(db, request.params.id);
      const now = new Date();
      const [steps, numbers, pool, followupLine] = await Promise.all([
        db
          .selectFrom('campaign_steps')
          .selectAll()
          .where('campaign_id', '=', campaign.id)
          .orderBy('step')
          .execute(),
        db
          .selectFrom('sender_numbers')
          .selectAll()
          .where('pool_id', '=', campaign.sms_pool_id)
          .execute(),
        db
          .selectFrom('pools')
          .selectAll()
          .where('id', '=', campaign.sms_pool_id)
          .executeTakeFirstOrThrow(),
        campaign.followup_pool_id === null
          ? undefined
          : db
              .selectFrom('sender_numbers')
              .select('phone')
              .where('pool_id', '=', campaign.followup_pool_id)
              .where('state', 'in', ['active', 'probation'])
              .orderBy('id')
              .executeTakeFirst(),
      ]);
      const targeting: Targeting = {
        filter: campaign.filter,
        excludeAudienceIds: campaign.exclude_audience_ids,
      };
      const broadcast = steps.find((step) => step.step === 0);
      const requiredVariables = templateVariables(broadcast?.template ?? '')
        .filter((variable) => variable.fallback === null && variable.name !== FOLLOWUP_BUILT_IN)
        .map((variable) => variable.name);
      const policy = campaignSendPolicy(
        campaign.quiet_hours,
        config.DEFAULT_TIME_ZONE,
        campaign.max_segments,
      );
      const senderProblem = poolCannotSendNow(pool, numbers);
      const [groups, contacts] = await Promise.all([
        previewGroups(db, {
          campaignId: campaign.id,
          audienceId: campaign.audience_id,
          targeting,
          requiredVariables,
          cap: capWindow(campaign.frequency_cap),
          now,
        }),
        previewContacts(db, { audienceId: campaign.audience_id, targeting }, request.query.samples),
      ]);
      const counts = previewCounts(
        groups,
        (recipient) => policy.window(recipient, now).open,
        senderProblem === null,
      );
      const builtIns =
        followupLine === undefined ? {} : { [FOLLOWUP_BUILT_IN]: followupLine.phone };
      return {
        campaign_id: campaign.id,
        ...counts,
        sender: { can_send_now: senderProblem === null, reason: senderProblem },
        steps: steps.map((step) => ({
          step: step.step,
          samples: contacts.map((contact) => {
            const rendered = renderTemplate(step.template, { ...contact.attributes, ...builtIns });
            const base = { contact_id: contact.contact_id, to: contact.phone };
            if (!rendered.ok)
              return {
                ...base,
                body: null,
                segments: null,
                encoding: null,
                characters: null,
                error: rendered.message,
              };
            const size = countSegments(rendered.text);
            return {
              ...base,
              body: rendered.text,
              segments: size.segments,
              encoding: size.encoding,
              characters: size.characters,
              error:
                size.segments > campaign.max_segments
                  ? `too_many_segments: ${size.segments} segments, the campaign allows ${campaign.max_segments}`
                  : null,
            };
          }),
        })),
        computed_at: now.toISOString(),
      };
    },
  );
};
