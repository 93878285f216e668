import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CampaignStatus } from '../../core/campaign-status.ts';
import { isFinished } from '../../core/campaign-status.ts';
import { changedFields, recordOperatorChange } from '../../db/operator-changes.ts';
import { campaignSuppressionListIds } from '../../db/suppression-lists.ts';
import { actorOf } from '../actor.ts';
import { campaignViewer } from '../campaign-view.ts';
import {
  campaignColumns,
  campaignInputOf,
  checkCampaign,
  saveCampaignParts,
} from '../campaign-write.ts';
import { loadCampaign } from '../campaign-lookup.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { archiveView, campaignPatch } from '../schemas/campaign-patch.ts';
import { campaignId, campaignInput, campaignView } from '../schemas/campaign.ts';

const notDraft = (id: string, status: CampaignStatus) =>
  new ApiError(
    409,
    'campaign_not_draft',
    `Campaign ${id} is ${status}: only a draft (never launched) can be changed; create a new campaign instead`,
    { status },
  );

/** `PATCH /v1/campaigns/:id` on a draft, and archive / unarchive. */
export const campaignChangeRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  const { db } = deps;
  const view = campaignViewer(deps);

  app.patch(
    '/campaigns/:id',
    {
      schema: {
        summary: 'Change a draft campaign (any field POST /v1/campaigns takes)',
        params: campaignId,
        body: campaignPatch,
        response: { 200: campaignView },
      },
    },
    async (request) => {
      const { id } = request.params;
      const campaign = await loadCampaign(db, id);
      if (campaign.status !== 'draft' || campaign.workflow_id !== null)
        throw notDraft(id, campaign.status);
      const [steps, lists] = await Promise.all([
        db
          .selectFrom('campaign_steps')
          .selectAll()
          .where('campaign_id', '=', id)
          .orderBy('step')
          .execute(),
        campaignSuppressionListIds(db, id),
      ]);
      const before = campaignInputOf(campaign, steps, lists);
      const patch = request.body;
      // A new window under either name replaces the old one (given under the other name).
      const window =
        patch.sending_window !== undefined || patch.quiet_hours !== undefined
          ? { sending_window: undefined, quiet_hours: undefined }
          : {};
      const merged = campaignInput.safeParse({ ...before, ...window, ...patch });
      if (!merged.success) {
        const details = merged.error.issues.map((issue) => ({
          path: `body.${issue.path.join('.')}`,
          message: issue.message,
        }));
        throw new ApiError(
          400,
          'invalid_request',
          `The request is not valid: ${details[0]?.path ?? 'body'}: ${details[0]?.message ?? ''}`,
          details,
        );
      }
      const input = merged.data;
      const suppressionListIds = await checkCampaign(db, input);
      const saved = await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('campaigns')
          .set(campaignColumns(input))
          .where('id', '=', id)
          .where('status', '=', 'draft')
          .where('workflow_id', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (updated === undefined) return undefined;
        await saveCampaignParts(trx, id, input, suppressionListIds);
        const after = campaignInputOf(
          updated,
          input.steps.map((step, index) => ({
            campaign_id: id,
            step: index,
            template: step.template,
            delay_seconds: step.delay_seconds,
            condition: step.condition,
            condition_keyword: step.condition_keyword ?? null,
            media_urls:
              step.media_urls === undefined || step.media_urls.length === 0
                ? null
                : step.media_urls,
          })),
          suppressionListIds,
        );
        await recordOperatorChange(
          trx,
          {
            resourceType: 'campaign',
            resourceId: id,
            action: 'update',
            actor: actorOf(request),
            changes: changedFields(before, after),
          },
          new Date(),
        );
        return updated;
      });
      // Launched between the read and the write.
      if (saved === undefined) throw notDraft(id, (await loadCampaign(db, id)).status);
      return view(saved);
    },
  );

  const archiving =
    (archive: boolean) =>
    async (request: { params: { id: string }; apiKey?: { name: string } | undefined }) => {
      const { id } = request.params;
      const campaign = await loadCampaign(db, id);
      if (archive && campaign.status !== 'draft' && !isFinished(campaign.status))
        throw new ApiError(
          409,
          'campaign_active',
          `Campaign ${id} is ${campaign.status}: cancel it or let it finish before archiving it`,
          { status: campaign.status },
        );
      const now = new Date();
      const archivedAt = archive ? (campaign.archived_at ?? now) : null;
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('campaigns')
          .set({ archived_at: archivedAt })
          .where('id', '=', id)
          .execute();
        if ((campaign.archived_at === null) !== (archivedAt === null))
          await recordOperatorChange(
            trx,
            {
              resourceType: 'campaign',
              resourceId: id,
              action: archive ? 'archive' : 'unarchive',
              actor: actorOf(request),
              changes: {
                archived: { before: campaign.archived_at !== null, after: archive },
              },
            },
            now,
          );
      });
      return {
        id,
        status: campaign.status,
        archived: archivedAt !== null,
        archived_at: archivedAt?.toISOString() ?? null,
      };
    };

  app.post(
    '/campaigns/:id/archive',
    {
      schema: {
        summary:
          'Archive a draft or finished campaign: GET /v1/campaigns leaves it out unless archived=true',
        params: campaignId,
        response: { 200: archiveView },
      },
    },
    archiving(true),
  );

  app.post(
    '/campaigns/:id/unarchive',
    {
      schema: {
        summary: 'Bring an archived campaign back into the campaign list',
        params: campaignId,
        response: { 200: archiveView },
      },
    },
    archiving(false),
  );
};
