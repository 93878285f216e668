import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { loadGeo } from '../phone-geo-data.ts';
import { callingCodeOf } from '../../core/phone-plan.ts';
import { findAudience, listRejections } from '../../db/audience-queries.ts';
import { importAudience, withImportClient, type ImportedAudience } from '../../db/audiences.ts';
import { ingestCsv } from '../csv/ingest.ts';
import { acceptCsvBodies, openUpload } from '../csv/upload.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import {
  audienceSchema,
  idParamsSchema,
  importedSchema,
  importQuerySchema,
  rejectionsPageSchema,
  rejectionsQuerySchema,
} from './audience-schemas.ts';

function present(audience: ImportedAudience) {
  return {
    id: audience.id,
    name: audience.name,
    columns: audience.columns,
    rows_read: audience.rowsRead,
    imported: audience.imported,
    duplicates: audience.duplicates,
    rejected: audience.rejected,
    created_at: audience.createdAt.toISOString(),
    first_rejections: audience.firstRejections,
  };
}

export const audienceRoutes: FastifyPluginAsync<ApiDeps> = async (plugin, deps) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  acceptCsvBodies(app);

  app.post(
    '/audiences',
    {
      schema: {
        summary: 'Import an audience from a CSV (multipart `file`, or a raw text/csv body)',
        querystring: importQuerySchema,
        response: { 201: importedSchema },
      },
    },
    async (request, reply) => {
      const { databaseUrl } = deps;
      const upload = await openUpload(request);
      const defaultCountry =
        request.query.country ?? upload.fields.country ?? deps.config.DEFAULT_COUNTRY;
      const callingCode = callingCodeOf(defaultCountry);
      if (callingCode === undefined)
        throw new ApiError(400, 'invalid_country', `Unknown country ${defaultCountry}`);
      await loadGeo(callingCode);
      const options = {
        name:
          request.query.name ??
          upload.fields.name ??
          upload.filename ??
          `Audience ${new Date().toISOString()}`,
        phoneColumn: request.query.phone_column ?? upload.fields.phone_column,
        defaultCountry,
      };
      try {
        const audience = await withImportClient(databaseUrl, (client) =>
          importAudience(client, options.name, (stage) => ingestCsv(upload.stream, stage, options)),
        );
        return reply.status(201).send(present(audience));
      } catch (error) {
        throw upload.refuse(error);
      }
    },
  );

  app.get(
    '/audiences/:id',
    {
      schema: {
        summary: 'An audience and its import counts',
        params: idParamsSchema,
        response: { 200: audienceSchema },
      },
    },
    async (request) => {
      const audience = await findAudience(deps.db, request.params.id);
      if (audience === undefined) throw notFound('Audience', request.params.id);
      return { ...audience, created_at: audience.created_at.toISOString() };
    },
  );

  app.get(
    '/audiences/:id/rejections',
    {
      schema: {
        summary: 'Every rejected line of an audience import, in line order',
        params: idParamsSchema,
        querystring: rejectionsQuerySchema,
        response: { 200: rejectionsPageSchema },
      },
    },
    async (request) => {
      const audience = await findAudience(deps.db, request.params.id);
      if (audience === undefined) throw notFound('Audience', request.params.id);
      const { after, limit } = request.query;
      const rejections = await listRejections(deps.db, request.params.id, {
        afterLine: after,
        limit,
      });
      const last = rejections.at(-1);
      return {
        rejections,
        next_after: rejections.length === limit && last !== undefined ? last.line : null,
      };
    },
  );
};
