import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bucketSeconds, deliveryRate } from '../../core/activity-buckets.ts';
import { dripScheduleId } from '../../core/campaign-contracts.ts';
import { campaignActivity, campaignSenders, numberActivity } from '../../db/activity.ts';
import { poolNumberByPhone } from '../../db/number-operations.ts';
import { findPool } from '../../db/pools.ts';
import { loadCampaign } from '../campaign-lookup.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { campaignId } from '../schemas/campaign.ts';
import { poolNumberParams } from './pool-schemas.ts';

const rate = z
  .number()
  .nullable()
  .describe('delivered / (delivered + failed); null before any settled');

const campaignActivitySchema = z.object({
  campaign_id: z.string(),
  bucket_seconds: z.number().int(),
  from: z.string().nullable().describe('The first bucket (the launch); null before launch'),
  to: z.string().nullable(),
  buckets: z.array(
    z.object({
      at: z.string(),
      sent: z.number().int(),
      delivered: z.number().int(),
      failed: z.number().int(),
      replied: z.number().int(),
      handed_off: z.number().int(),
    }),
  ),
  senders: z.array(
    z.object({
      from: z.string(),
      sent: z.number().int(),
      delivered: z.number().int(),
      failed: z.number().int(),
      delivery_rate: rate,
    }),
  ),
  schedule_ui_url: z
    .string()
    .nullable()
    .describe("The drip Schedule's page in the Temporal UI; null for one step or before launch"),
});

const numberActivitySchema = z.object({
  number: z.object({ id: z.string(), phone: z.string(), pool_id: z.string(), state: z.string() }),
  bucket_seconds: z.number().int(),
  from: z.string(),
  to: z.string(),
  buckets: z.array(
    z.object({
      at: z.string(),
      sent: z.number().int(),
      delivered: z.number().int(),
      failed: z.number().int(),
      delivery_rate: rate,
    }),
  ),
});

const numberActivityQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(7).describe('How far back to look'),
});

const DAY_MS = 86_400_000;

export const activityRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  app.get(
    '/campaigns/:id/activity',
    {
      schema: {
        summary:
          "A campaign over time: sent, delivered, failed, replies and hand-offs per time bucket, and each sender number's delivery",
        params: campaignId,
        response: { 200: campaignActivitySchema },
      },
    },
    async (request) => {
      const campaign = await loadCampaign(db, request.params.id);
      const launched = campaign.launched_at;
      const to = campaign.finished_at ?? new Date();
      const step = launched === null ? bucketSeconds(to, to) : bucketSeconds(launched, to);
      // Two scans of the campaign's messages (per sender, per time bucket) and a count of its
      // steps: independent reads, run side by side.
      const [senderRows, steps, buckets] = await Promise.all([
        campaignSenders(db, campaign.id),
        // Launching a campaign of more than one step creates its drip Schedule (campaign-lifecycle).
        db
          .selectFrom('campaign_steps')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('campaign_id', '=', campaign.id)
          .executeTakeFirstOrThrow(),
        launched === null ? [] : campaignActivity(db, campaign.id, { from: launched, to, step }),
      ]);
      const senders = senderRows.map((sender) => ({
        ...sender,
        delivery_rate: deliveryRate(sender.delivered, sender.failed),
      }));
      const scheduleUrl =
        Number(steps.n) > 1 && campaign.workflow_id !== null
          ? `${config.TEMPORAL_UI_URL}/namespaces/${config.TEMPORAL_NAMESPACE}/schedules/${encodeURIComponent(dripScheduleId(campaign.id))}`
          : null;
      const base = { campaign_id: campaign.id, senders, schedule_ui_url: scheduleUrl };
      if (launched === null)
        return { ...base, bucket_seconds: step, from: null, to: null, buckets: [] };
      return {
        ...base,
        bucket_seconds: step,
        from: launched.toISOString(),
        to: to.toISOString(),
        buckets: buckets.map((bucket) => ({ ...bucket, at: bucket.at.toISOString() })),
      };
    },
  );

  app.get(
    '/pools/:id/numbers/:phone/activity',
    {
      schema: {
        tags: ['pools'],
        summary: "A number's sends over time, with the delivery rate of each time bucket",
        params: poolNumberParams,
        querystring: numberActivityQuery,
        response: { 200: numberActivitySchema },
      },
    },
    async (request) => {
      const { id, phone } = request.params;
      if ((await findPool(db, id)) === undefined) throw notFound('Pool', id);
      const number = await poolNumberByPhone(db, id, phone);
      if (number === undefined) throw notFound('Number in this pool:', phone);
      const to = new Date();
      const since = new Date(to.getTime() - request.query.days * DAY_MS);
      const from = number.created_at > since ? number.created_at : since;
      const step = bucketSeconds(from, to);
      const buckets = await numberActivity(db, number.id, { from, to, step });
      return {
        number: {
          id: number.id,
          phone: number.phone,
          pool_id: number.pool_id,
          state: number.state,
        },
        bucket_seconds: step,
        from: from.toISOString(),
        to: to.toISOString(),
        buckets: buckets.map((bucket) => ({
          ...bucket,
          at: bucket.at.toISOString(),
          delivery_rate: deliveryRate(bucket.delivered, bucket.failed),
        })),
      };
    },
  );
};
