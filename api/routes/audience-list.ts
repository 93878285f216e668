import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audiencesPage, deleteAudience } from '../../db/audience-list.ts';
import { actorOf } from '../actor.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { nextCursor, pageQuery, readCursor, toPage } from '../list-page.ts';
import { audienceSchema, idParamsSchema } from './audience-schemas.ts';

const audienceSummary = audienceSchema
  .extend({
    contacts: z.number().int().describe('Contacts in the audience (imported rows, deduplicated)'),
    campaigns: z.number().int().describe('Campaigns on this audience, archived ones included'),
    in_use: z.boolean().describe('True while a campaign uses it: it cannot be deleted'),
  })
  .meta({
    examples: [
      {
        id: '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        name: 'customers.csv',
        columns: ['phone', 'first_name', 'plan'],
        rows_read: 1000,
        imported: 990,
        duplicates: 4,
        rejected: 6,
        created_at: '2026-12-06T08:00:00.000Z',
        contacts: 990,
        campaigns: 1,
        in_use: true,
      },
    ],
  });

const deletedSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    deleted: z.literal(true),
    members_removed: z.number().int().describe('Memberships removed; the contacts themselves stay'),
  })
  .meta({
    examples: [
      {
        id: '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        name: 'customers.csv',
        deleted: true,
        members_removed: 990,
      },
    ],
  });

/** `GET /v1/audiences` (newest first, with counts) and `DELETE /v1/audiences/:id`. */
export const audienceListRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db }) => {
  app.get(
    '/audiences',
    {
      schema: {
        summary: 'List audiences, newest first, with their counts and whether a campaign uses them',
        querystring: z.object(pageQuery),
        response: {
          200: z.object({ audiences: z.array(audienceSummary), next_cursor: nextCursor }),
        },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await audiencesPage(db, {
        after: readCursor('audiences', cursor),
        limit: limit + 1,
      });
      const page = toPage('audiences', rows, limit, (row) => ({
        atUs: row.created_us,
        id: row.id,
      }));
      return {
        audiences: page.rows.map(({ created_us: _, ...row }) => ({
          ...row,
          created_at: row.created_at.toISOString(),
          contacts: row.imported,
          in_use: row.campaigns > 0,
        })),
        next_cursor: page.next_cursor,
      };
    },
  );

  app.delete(
    '/audiences/:id',
    {
      schema: {
        summary: 'Delete an audience no campaign uses (its contacts stay)',
        params: idParamsSchema,
        response: { 200: deletedSchema },
      },
    },
    async (request) => {
      const { id } = request.params;
      const result = await deleteAudience(db, id, actorOf(request), new Date());
      if (!result.ok && result.code === 'not_found') throw notFound('Audience', id);
      if (!result.ok)
        throw new ApiError(
          409,
          'audience_in_use',
          `Audience ${id} is used by ${result.campaignIds.length === 1 ? 'a campaign' : 'campaigns'} (archived ones too): it cannot be deleted while a campaign uses it`,
          { campaign_ids: result.campaignIds },
        );
      return { id, name: result.name, deleted: true as const, members_removed: result.imported };
    },
  );
};
