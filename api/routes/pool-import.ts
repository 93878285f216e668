import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio.ts';
import { TwilioHttpClient } from '../../activities/carriers/twilio-http.ts';
import { decideImport, type ListedNumber } from '../../core/number-import.ts';
import { addPoolNumber, findPool } from '../../db/pools.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { DEFAULT_MPS } from './pool-number-defaults.ts';
import { senderGeography } from './pool-number-geo.ts';
import { poolParams } from './pool-schemas.ts';
import { importInput, importView, type ImportResult } from './pool-import-schemas.ts';

/** Numbers read per page from Twilio. */
const PAGE_SIZE = 200;
/** The most numbers one import reads (an account with more is imported in part, and says so). */
const LIMIT = 10_000;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * `POST /v1/pools/:id/numbers/import`: the account's IncomingPhoneNumbers, read through the
 * twilio SDK (the sandbox or api.twilio.com), into a Twilio pool; see core/number-import.ts for
 * what happens to each. A number's webhook is set before it joins the pool, so a number in a
 * pool always answers to tandem; one whose update fails stays out and a later import retries it.
 */
export const poolImportRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  let client: TwilioClient | undefined;
  const twilio = () => (client ??= createTwilioClient(config, { maxSockets: 4 }));
  app.addHook('onClose', async () => {
    const http = client?.httpClient;
    if (http instanceof TwilioHttpClient) await http.close();
  });
  const webhookUrl = `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/webhooks/twilio/inbound`;

  app.post(
    '/pools/:id/numbers/import',
    {
      schema: {
        tags: ['pools'],
        summary:
          "Bring the Twilio account's SMS-capable numbers into the pool and set their webhook",
        params: poolParams,
        body: importInput,
        response: { 200: importView },
      },
    },
    async (request) => {
      const pool = await findPool(db, request.params.id);
      if (pool === undefined) throw notFound('Pool', request.params.id);
      if (pool.provider !== 'twilio')
        throw new ApiError(
          409,
          'provider_mismatch',
          'Pool already owns Blooio numbers: Twilio numbers are imported into a twilio pool',
          { pool_provider: pool.provider },
        );
      const dryRun = request.body.dry_run;
      let listed: ListedNumber[];
      try {
        const numbers = await twilio().incomingPhoneNumbers.list({
          pageSize: PAGE_SIZE,
          limit: LIMIT,
        });
        listed = numbers.map((number) => ({
          sid: number.sid,
          phone: number.phoneNumber,
          smsCapable: number.capabilities?.sms === true,
          smsUrl: number.smsUrl ?? null,
          smsMethod: number.smsMethod ?? null,
        }));
      } catch (error) {
        throw new ApiError(
          502,
          'twilio_unavailable',
          `Twilio did not list the account's numbers: ${message(error)}`,
        );
      }
      const live = await db
        .selectFrom('sender_numbers')
        .select(['phone', 'pool_id'])
        .where('phone', 'in', listed.length === 0 ? [''] : listed.map((number) => number.phone))
        .where('state', '<>', 'retired')
        .execute();
      const owners = new Map(live.map((row) => [row.phone, row.pool_id]));

      const results: ImportResult[] = [];
      for (const number of listed) {
        const base = { phone: number.phone, sid: number.sid, pool_id: null, error: null };
        const decision = decideImport(number, pool.id, owners, webhookUrl);
        if (decision.action === 'skip') {
          results.push({
            ...base,
            kind: null,
            result: `skipped_${decision.reason}`,
            webhook: 'not_touched',
          });
          continue;
        }
        if (decision.action === 'in_other_pool') {
          results.push({
            ...base,
            kind: null,
            result: 'in_other_pool',
            webhook: 'not_touched',
            pool_id: decision.poolId,
          });
          continue;
        }
        const { kind, setWebhook } = decision;
        const done =
          decision.action === 'add' ? 'added' : setWebhook ? 'configured' : 'already_in_pool';
        if (dryRun) {
          results.push({
            ...base,
            kind,
            result: done,
            webhook: setWebhook ? 'set' : 'already_set',
          });
          continue;
        }
        if (setWebhook) {
          try {
            await twilio()
              .incomingPhoneNumbers(number.sid)
              .update({ smsUrl: webhookUrl, smsMethod: 'POST' });
          } catch (error) {
            results.push({
              ...base,
              kind,
              result: 'failed',
              webhook: 'failed',
              error: message(error),
            });
            continue;
          }
        }
        if (decision.action === 'add') {
          const geo = await senderGeography(number.phone, kind);
          const added = await addPoolNumber(
            db,
            pool.id,
            {
              phone: number.phone,
              kind,
              weight: 1,
              mps: DEFAULT_MPS[kind],
              mmsMps: null,
              dailyCap: null,
              areaCode: geo.areaCode,
              region: geo.region,
            },
            new Date(),
          );
          if (!added.ok) {
            // Taken by another pool since the look above.
            results.push({
              ...base,
              kind,
              result: 'in_other_pool',
              webhook: setWebhook ? 'set' : 'already_set',
              pool_id: added.poolId,
            });
            continue;
          }
        }
        results.push({ ...base, kind, result: done, webhook: setWebhook ? 'set' : 'already_set' });
      }
      const counts: Record<string, number> = {};
      for (const { result } of results) counts[result] = (counts[result] ?? 0) + 1;
      return {
        pool_id: pool.id,
        dry_run: dryRun,
        webhook_url: webhookUrl,
        listed: listed.length,
        counts,
        numbers: results,
      };
    },
  );
};
