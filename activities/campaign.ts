import { setTimeout as sleep } from 'node:timers/promises';
import { setCampaignStatus } from '../db/campaigns.ts';
import {
  cancelNeverSent,
  cancelUnsentRows,
  liveClaims,
  unresolvedSends,
} from '../db/message-cancel.ts';
import { dueMessages, materializeRange, planRanges, sendableInRange } from '../db/messages.ts';
import {
  campaignStatusOf,
  emptyOutcome,
  type BatchOutcome,
  type CampaignRunStatus,
  type ContactRange,
  type DueWork,
} from '../core/campaign-contracts.ts';
import type { ActivityDeps } from './deps.ts';
import { heartbeat } from './heartbeat.ts';
import { dueWorkOf, reconcileStaleOf } from './message-checks.ts';
import { reconcileSending } from './reconcile.ts';
import { buildSendContext } from './send-context.ts';
import { sendRows } from './send-pipeline.ts';

const BROADCAST_STEP = 0;
/** How often a cancellation looks whether the senders have let go of their claims. */
const CLAIMS_POLL_MS = 250;
/** Lost answers asked about at once when a cancelled campaign is wound up. */
const RESOLVE_BATCH = 200;

export function createCampaignActivities(deps: ActivityDeps) {
  const { db, clock } = deps;

  const sendContext = (campaignId: string) => buildSendContext(deps, campaignId, BROADCAST_STEP);

  return {
    async planBatches(input: {
      campaignId: string;
      after: string | null;
      batches: number;
      batchSize: number;
    }) {
      const campaign = await db
        .selectFrom('campaigns')
        .select('audience_id')
        .where('id', '=', input.campaignId)
        .executeTakeFirstOrThrow();
      return planRanges(db, campaign.audience_id, input.after, input.batches, input.batchSize);
    },

    async sendBatch(input: { campaignId: string; range: ContactRange }): Promise<BatchOutcome> {
      const context = await sendContext(input.campaignId);
      await materializeRange(
        db,
        input.campaignId,
        context.audienceId,
        BROADCAST_STEP,
        input.range,
        context.targeting,
      );
      heartbeat({ materialized: input.range });
      const rows = await sendableInRange(
        db,
        { id: input.campaignId, audienceId: context.audienceId },
        BROADCAST_STEP,
        input.range,
        clock(),
      );
      return sendRows(context, rows);
    },

    async sendDue(input: {
      campaignId: string;
      slice: number;
      slices: number;
      limit: number;
    }): Promise<BatchOutcome> {
      const context = await sendContext(input.campaignId);
      const rows = await dueMessages(
        db,
        { id: input.campaignId, audienceId: context.audienceId },
        clock(),
        input.slice,
        input.slices,
        input.limit,
      );
      return sendRows(context, rows);
    },

    dueWork: (input: { campaignId: string }): Promise<DueWork> =>
      dueWorkOf(deps, { campaignId: input.campaignId }),

    /** Asks the carrier for messages whose final status never arrived, and applies what it says. */
    reconcileStale: (input: { campaignId: string }): Promise<{ checked: number }> =>
      reconcileStaleOf(deps, { campaignId: input.campaignId }),

    /**
     * After a cancel: once no sender holds a claim any more (a request on the wire ends within
     * its lease), every row that never left tandem ends as `cancelled`.
     */
    async cancelUnsent(input: { campaignId: string }): Promise<{ cancelled: number }> {
      const campaign = await db
        .selectFrom('campaigns')
        .select(['audience_id', 'filter', 'exclude_audience_ids'])
        .where('id', '=', input.campaignId)
        .executeTakeFirstOrThrow();
      while ((await liveClaims(db, input.campaignId, clock())) > 0) {
        heartbeat('waiting for senders to let go of their claims');
        await sleep(CLAIMS_POLL_MS);
      }
      // Sends whose answer was lost are asked about first (as a running campaign would): found,
      // the row takes its sid and its statuses; absent twice, it was never sent and is cancelled.
      const audience = { id: input.campaignId, audienceId: campaign.audience_id };
      for (;;) {
        const { due, waiting } = await unresolvedSends(db, audience, clock(), RESOLVE_BATCH);
        if (waiting === 0) break;
        heartbeat(`asking the carrier about ${waiting} sends whose answer was lost`);
        if (due.length === 0) {
          await sleep(CLAIMS_POLL_MS);
          continue;
        }
        for (const step of new Set(due.map((row) => row.step))) {
          const context = await buildSendContext(deps, input.campaignId, step);
          const rows = due.filter((row) => row.step === step);
          const neverSent = await reconcileSending(context, rows, emptyOutcome());
          await cancelNeverSent(
            db,
            neverSent.map((row) => row.id),
          );
        }
      }
      const cancelled = await cancelUnsentRows(db, input.campaignId, campaign.audience_id, {
        filter: campaign.filter,
        excludeAudienceIds: campaign.exclude_audience_ids,
      });
      return { cancelled };
    },

    async setCampaignStatus(input: {
      campaignId: string;
      status: CampaignRunStatus;
    }): Promise<void> {
      await setCampaignStatus(db, input.campaignId, campaignStatusOf(input.status));
    },
  };
}
