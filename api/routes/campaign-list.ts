import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { campaignsPage, type CampaignListRow } from '../../db/campaign-list.ts';
import type { ApiDeps } from '../deps.ts';
import { readCursor, toPage } from '../list-page.ts';
import { campaignListPage, campaignListQuery } from '../schemas/campaign-list.ts';

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

function present(row: CampaignListRow) {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    audience: { id: row.audience_id, name: row.audience_name },
    sms_pool_id: row.sms_pool_id,
    followup_pool_id: row.followup_pool_id,
    created_at: row.created_at.toISOString(),
    launched_at: iso(row.launched_at),
    finished_at: iso(row.finished_at),
    archived: row.archived_at !== null,
    archived_at: iso(row.archived_at),
    progress: {
      targeted: row.targeted,
      sent: row.sent,
      delivered: row.delivered,
      failed: row.failed,
    },
  };
}

/** `GET /v1/campaigns`: every campaign, newest first, filtered and a page at a time. */
export const campaignListRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db }) => {
  app.get(
    '/campaigns',
    {
      schema: {
        summary: 'List campaigns, newest first (status, creation time and name filters)',
        querystring: campaignListQuery,
        response: { 200: campaignListPage },
      },
    },
    async (request) => {
      const query = request.query;
      const rows = await campaignsPage(db, {
        statuses: query.status ?? null,
        createdAfter: query.created_after ?? null,
        createdBefore: query.created_before ?? null,
        q: query.q ?? null,
        archived: query.archived === 'any' ? null : query.archived === 'true',
        after: readCursor('campaigns', query.cursor),
        limit: query.limit + 1,
      });
      const page = toPage('campaigns', rows, query.limit, (row) => ({
        atUs: row.created_us,
        id: row.id,
      }));
      return { campaigns: page.rows.map(present), next_cursor: page.next_cursor };
    },
  );
};
