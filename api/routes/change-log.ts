import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { operatorChangesOf } from '../../db/operator-changes.ts';
import type { OperatorResource } from '../../db/tables.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';

const params = z.object({ id: z.uuid() });
const query = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

const changesView = z.object({
  changes: z
    .array(
      z.object({
        id: z.string(),
        action: z.string().describe('update, archive, unarchive, …'),
        actor: z.string().describe('Who made the change: the name of the API key used'),
        fields: z
          .record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }))
          .describe('Each changed field with its value before and after'),
        reason: z.string().nullable(),
        at: z.string(),
      }),
    )
    .describe('Oldest first'),
});

const TABLES = { campaign: 'campaigns', pool: 'pools' } as const;

/** What operators changed on a campaign or a pool (PATCH, archive), with before and after. */
export const changeLogRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db }) => {
  const route = (resource: keyof typeof TABLES, path: string, what: string) =>
    app.get(
      path,
      {
        schema: {
          tags: [TABLES[resource]],
          summary: `Every change an operator made to a ${what}, with before and after`,
          params,
          querystring: query,
          response: { 200: changesView },
        },
      },
      async (request) => {
        const { id } = request.params;
        const found = await db
          .selectFrom(TABLES[resource])
          .select('id')
          .where('id', '=', id)
          .executeTakeFirst();
        if (found === undefined)
          throw notFound(
            what.replace(/^./, (c) => c.toUpperCase()),
            id,
          );
        const rows = await operatorChangesOf(
          db,
          resource as OperatorResource,
          id,
          request.query.limit,
        );
        return {
          changes: rows.map((row) => ({
            id: row.id,
            action: row.action,
            actor: row.actor,
            fields: row.changes,
            reason: row.reason,
            at: row.created_at.toISOString(),
          })),
        };
      },
    );
  route('campaign', '/campaigns/:id/changes', 'campaign');
  route('pool', '/pools/:id/changes', 'pool');
};
