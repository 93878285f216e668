import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { callingCodeOf } from '../../core/phone-plan.ts';
import { withImportClient } from '../../db/audiences.ts';
import { importSuppressionEntries } from '../../db/suppression-import.ts';
import {
  createSuppressionList,
  findSuppressionList,
  listSuppressionLists,
  type SuppressionListSummary,
} from '../../db/suppression-lists.ts';
import { ingestCsv } from '../csv/ingest.ts';
import { LineOffsets } from '../csv/line-offsets.ts';
import { acceptCsvBodies, openUpload } from '../csv/upload.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { loadGeo } from '../phone-geo-data.ts';
import {
  entriesImported,
  entriesQuery,
  suppressionListInput,
  suppressionListParams,
  suppressionListsView,
  suppressionListView,
} from './suppression-list-schemas.ts';

const present = (list: SuppressionListSummary) => ({
  ...list,
  created_at: list.created_at.toISOString(),
});

/** Suppression lists: numbers never to text, by CSV upload; `global` applies to every campaign. */
export const suppressionListRoutes: FastifyPluginAsync<ApiDeps> = async (plugin, deps) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  acceptCsvBodies(app);

  const find = async (id: string) => {
    const list = await findSuppressionList(deps.db, id);
    if (list === undefined) throw notFound('Suppression list', id);
    return list;
  };

  app.post(
    '/suppression-lists',
    {
      schema: {
        summary: 'Create a suppression list (numbers never to text for the campaigns naming it)',
        body: suppressionListInput,
        response: { 201: suppressionListView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(present(await createSuppressionList(deps.db, request.body.name))),
  );

  app.get(
    '/suppression-lists',
    {
      schema: {
        summary: 'Every suppression list with its number of entries, the global one first',
        response: { 200: suppressionListsView },
      },
    },
    async () => ({ suppression_lists: (await listSuppressionLists(deps.db)).map(present) }),
  );

  app.get(
    '/suppression-lists/:id',
    {
      schema: {
        summary: 'A suppression list and its number of entries',
        params: suppressionListParams,
        response: { 200: suppressionListView },
      },
    },
    async (request) => present(await find(request.params.id)),
  );

  app.post(
    '/suppression-lists/:id/entries',
    {
      schema: {
        summary:
          'Add numbers from a CSV (multipart `file`, or a raw text/csv body; a phone column is all it needs)',
        params: suppressionListParams,
        querystring: entriesQuery,
        response: { 200: entriesImported },
      },
    },
    async (request) => {
      const upload = await openUpload(request);
      try {
        const list = await find(request.params.id);
        const defaultCountry =
          request.query.country ?? upload.fields.country ?? deps.config.DEFAULT_COUNTRY;
        const callingCode = callingCodeOf(defaultCountry);
        if (callingCode === undefined)
          throw new ApiError(400, 'invalid_country', `Unknown country ${defaultCountry}`);
        await loadGeo(callingCode);
        const lineOffsets = new LineOffsets();
        const options = {
          name: list.name,
          phoneColumn: request.query.phone_column ?? upload.fields.phone_column,
          defaultCountry,
          phoneOnly: true,
          withLine: true,
          lineOffsets,
        };
        const imported = await withImportClient(deps.databaseUrl, (client) =>
          importSuppressionEntries(client, list, (stage) =>
            ingestCsv(upload.stream, stage, options),
          ),
        );
        return {
          list: present(await find(list.id)),
          rows_read: imported.rowsRead,
          accepted: imported.accepted,
          added: imported.added,
          already_listed: imported.alreadyListed,
          duplicates: imported.duplicates,
          rejected_count: imported.rejected,
          rejected: imported.rejections.map((rejection) => ({
            line: rejection.line,
            byte: lineOffsets.byteOf(rejection.line),
            error: rejection.reason,
            value: rejection.value,
          })),
        };
      } catch (error) {
        throw upload.refuse(error);
      }
    },
  );
};
