import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { campaignViewer } from '../campaign-view.ts';
import { campaignColumns, checkCampaign, saveCampaignParts } from '../campaign-write.ts';
import { loadCampaign } from '../campaign-lookup.ts';
import type { ApiDeps } from '../deps.ts';
import {
  campaignId,
  campaignInput,
  campaignView,
  messagesQuery,
  messageView,
} from '../schemas/campaign.ts';

export const campaignRoutes: FastifyPluginAsyncZod<ApiDeps> = async (
  app,
  { db, temporal, config },
) => {
  const load = (id: string) => loadCampaign(db, id);
  const view = campaignViewer({ db, temporal, config });

  app.post(
    '/campaigns',
    { schema: { body: campaignInput, response: { 201: campaignView } } },
    async (request, reply) => {
      const input = request.body;
      const suppressionListIds = await checkCampaign(db, input);
      const created = await db.transaction().execute(async (trx) => {
        const campaign = await trx
          .insertInto('campaigns')
          .values({ ...campaignColumns(input), workflow_id: null })
          .returningAll()
          .executeTakeFirstOrThrow();
        await saveCampaignParts(trx, campaign.id, input, suppressionListIds);
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
