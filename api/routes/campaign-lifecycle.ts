import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { campaignWorkflowId } from '../../core/campaign-contracts.ts';
import {
  FINISHED_CAMPAIGN_STATUSES,
  isFinished,
  type CampaignStatus,
} from '../../core/campaign-status.ts';
import { cancelSignal, pauseSignal, resumeSignal } from '../../workflows/campaign.ts';
import { loadCampaign, temporalUiUrl } from '../campaign-lookup.ts';
import type { ApiDeps } from '../deps.ts';
import { controlDripSchedule, createDripSchedule } from '../drip-schedule.ts';
import { ApiError } from '../errors.ts';
import { assertLaunchable } from '../launch-checks.ts';
import { campaignId, launchView } from '../schemas/campaign.ts';

/** Launch (idempotent), pause, resume and cancel: the broadcast workflow and the drip schedule. */
export const campaignLifecycleRoutes: FastifyPluginAsyncZod<ApiDeps> = async (
  app,
  { db, temporal, config },
) => {
  const uiUrl = (workflowId: string) => temporalUiUrl(config, workflowId);
  const load = (id: string) => loadCampaign(db, id);

  app.post(
    '/campaigns/:id/launch',
    { schema: { params: campaignId, response: { 202: launchView } } },
    async (request, reply) => {
      const campaign = await load(request.params.id);
      if (campaign.status === 'cancelled')
        throw new ApiError(
          409,
          'campaign_cancelled',
          'A cancelled campaign cannot be launched again',
        );
      if (campaign.archived_at !== null && campaign.workflow_id === null)
        throw new ApiError(
          409,
          'campaign_archived',
          'An archived campaign cannot be launched: unarchive it first',
        );
      // A launched campaign answers a repeated launch as before, whatever its pool holds now.
      if (campaign.workflow_id === null) await assertLaunchable(db, campaign);
      const workflowId = campaignWorkflowId(campaign.id);
      // A start still to come: the workflow waits for it on a durable timer (`scheduled`).
      const startAt =
        campaign.start_at !== null && campaign.start_at.getTime() > Date.now()
          ? campaign.start_at
          : null;
      const firstStatus: CampaignStatus = startAt === null ? 'running' : 'scheduled';
      let runId: string | null = null;
      let already = false;
      try {
        const handle = await temporal.workflow.start('CampaignWorkflow', {
          workflowId,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          args: [
            {
              campaignId: campaign.id,
              window: config.SEND_WINDOW,
              batchSize: config.SEND_BATCH_SIZE,
              checkIntervalSeconds: config.CAMPAIGN_CHECK_SECONDS,
              ...(startAt === null ? {} : { startAt: startAt.toISOString() }),
            },
          ],
          typedSearchAttributes: undefined,
          searchAttributes: { CampaignId: [campaign.id], CampaignStatus: [firstStatus] },
        });
        runId = handle.firstExecutionRunId;
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        already = true;
      }
      const stepTotal = await db
        .selectFrom('campaign_steps')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('campaign_id', '=', campaign.id)
        .executeTakeFirstOrThrow();
      if (Number(stepTotal.n) > 1)
        await createDripSchedule(temporal, config, campaign.id, campaign.drip_schedule, startAt);
      if (!already) {
        await db
          .updateTable('campaigns')
          .set({ status: firstStatus, workflow_id: workflowId, launched_at: new Date() })
          .where('id', '=', campaign.id)
          .execute();
      }
      return reply.status(202).send({
        campaign_id: campaign.id,
        workflow_id: workflowId,
        run_id: runId,
        temporal_ui_url: uiUrl(workflowId),
        already_launched: already,
      });
    },
  );

  /**
   * Pause/resume/cancel reach the campaign's workflow (a signal) and its drip schedule. A
   * finished campaign (completed: no drip step can fire any more) refuses all three.
   */
  const control = (action: 'pause' | 'resume' | 'cancel', status: CampaignStatus) =>
    app.post(
      `/campaigns/:id/${action}`,
      {
        schema: {
          params: campaignId,
          response: {
            202: z.object({ campaign_id: z.string(), requested: z.string(), status: z.string() }),
          },
        },
      },
      async (request, reply) => {
        const campaign = await load(request.params.id);
        const finished = () =>
          new ApiError(
            409,
            'campaign_finished',
            `Campaign ${campaign.id} is already ${campaign.status}`,
          );
        if (campaign.workflow_id === null)
          throw new ApiError(409, 'not_launched', `Campaign ${campaign.id} has not been launched`);
        if (isFinished(campaign.status)) throw finished();
        if (action === 'resume' && campaign.status !== 'paused')
          throw new ApiError(409, 'not_paused', `Campaign ${campaign.id} is ${campaign.status}`);
        const hasDrip =
          (await db
            .selectFrom('campaign_steps')
            .select('step')
            .where('campaign_id', '=', campaign.id)
            .where('step', '>', 0)
            .executeTakeFirst()) !== undefined;
        const handle = temporal.workflow.getHandle(campaign.workflow_id);
        let workflowRunning: boolean;
        try {
          workflowRunning = (await handle.describe()).status.name === 'RUNNING';
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          workflowRunning = false;
        }
        if (!workflowRunning && !hasDrip) throw finished();
        // A campaign whose workflow ended before drip steps kept it open (older code).
        const next: CampaignStatus = action === 'resume' && !workflowRunning ? 'completed' : status;
        // Stored before the signal: a send in progress stops on it, and what the workflow then
        // publishes has the last word. Never over a status that has just become final.
        const updated = await db
          .updateTable('campaigns')
          .set({ status: next })
          .where('id', '=', campaign.id)
          .where('status', 'not in', FINISHED_CAMPAIGN_STATUSES)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) throw finished();
        if (workflowRunning) {
          const signal =
            action === 'pause' ? pauseSignal : action === 'resume' ? resumeSignal : cancelSignal;
          await handle.signal(signal).catch((error: unknown) => {
            if (!(error instanceof WorkflowNotFoundError)) throw error;
          });
        }
        if (hasDrip) await controlDripSchedule(temporal, campaign.id, action);
        return reply
          .status(202)
          .send({ campaign_id: campaign.id, requested: action, status: next });
      },
    );
  control('pause', 'paused');
  control('resume', 'running');
  control('cancel', 'cancelled');
};
