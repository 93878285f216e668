import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { NumberAction } from '../../core/number-operator.ts';
import { healthSettings } from '../../db/health-settings.ts';
import {
  actOnNumber,
  numberHistory,
  poolNumberByPhone,
  updateNumberSettings,
} from '../../db/number-operations.ts';
import { updatePool } from '../../db/pool-update.ts';
import { findPool } from '../../db/pools.ts';
import { actorOf } from '../actor.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { healthColumns, presentNumber, presentPool } from './pool-presenters.ts';
import {
  historyQuery,
  numberActionBody,
  numberHistorySchema,
  numberPatch,
  numberReleaseBody,
  numberSchema,
  poolNumberParams,
  poolParams,
  poolPatch,
  poolSchema,
} from './pool-schemas.ts';

const tags = ['pools'];

const ACTION_ERRORS = {
  number_paused: 'is already paused',
  number_not_paused: 'is not paused',
  number_not_cooling: 'is not cooling down or misconfigured: there is nothing to release',
} as const;

/** Changes to pools and their numbers, each recorded with who made it and why. */
export const poolChangeRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  const health = healthSettings(config);

  app.patch(
    '/pools/:id',
    {
      schema: {
        tags,
        summary: 'Change a pool: sticky, geomatch, skip unhealthy, kind weights, health thresholds',
        params: poolParams,
        body: poolPatch,
        response: { 200: poolSchema },
      },
    },
    async (request) => {
      const { health_thresholds: thresholds, ...settings } = request.body;
      const pool = await updatePool(
        db,
        request.params.id,
        { ...settings, ...healthColumns(thresholds ?? {}) },
        actorOf(request),
        new Date(),
      );
      if (pool === undefined) throw notFound('Pool', request.params.id);
      return presentPool(pool, health);
    },
  );

  app.patch(
    '/pools/:id/numbers/:phone',
    {
      schema: {
        tags,
        summary: "Change a number's weight, messages per second (SMS and MMS) or daily cap",
        params: poolNumberParams,
        body: numberPatch,
        response: { 200: numberSchema },
      },
    },
    async (request) => {
      const { id, phone } = request.params;
      const { reason, ...settings } = request.body;
      const number = await updateNumberSettings(
        db,
        id,
        phone,
        settings,
        { reason: reason ?? null, actor: actorOf(request) },
        new Date(),
      );
      if (number === undefined) throw notFound('Live number in this pool:', phone);
      return presentNumber(number);
    },
  );

  const act =
    (action: NumberAction) =>
    async (request: {
      params: { id: string; phone: string };
      body: { reason?: string | undefined };
      apiKey?: { name: string } | undefined;
    }) => {
      const { id, phone } = request.params;
      const reason = request.body.reason ?? 'released from cool-down by an operator';
      const result = await actOnNumber(
        db,
        id,
        phone,
        action,
        { reason, actor: actorOf(request) },
        new Date(),
      );
      if (!result.ok && result.code === 'not_found')
        throw notFound('Live number in this pool:', phone);
      if (!result.ok)
        throw new ApiError(409, result.code, `Number ${phone} ${ACTION_ERRORS[result.code]}`, {
          state: result.state,
        });
      return presentNumber(result.number);
    };

  const schema = (summary: string) => ({
    tags,
    summary,
    params: poolNumberParams,
    body: numberActionBody,
    response: { 200: numberSchema },
  });
  app.post(
    '/pools/:id/numbers/:phone/pause',
    { schema: schema('Pause a number: no message leaves from it until it is resumed') },
    act('pause'),
  );
  app.post(
    '/pools/:id/numbers/:phone/resume',
    {
      schema: schema(
        'Resume a paused number: active if it was active when paused, else on probation',
      ),
    },
    act('resume'),
  );
  app.post(
    '/pools/:id/numbers/:phone/release',
    {
      schema: {
        ...schema('Release a cooling (or misconfigured) number early: back on probation'),
        body: numberReleaseBody,
      },
    },
    act('release'),
  );

  app.get(
    '/pools/:id/numbers/:phone/history',
    {
      schema: {
        tags,
        summary: "A number's history: every state change (automatic ones too) and setting change",
        params: poolNumberParams,
        querystring: historyQuery,
        response: { 200: numberHistorySchema },
      },
    },
    async (request) => {
      const { id, phone } = request.params;
      if ((await findPool(db, id)) === undefined) throw notFound('Pool', id);
      const number = await poolNumberByPhone(db, id, phone);
      if (number === undefined) throw notFound('Number in this pool:', phone);
      const history = await numberHistory(db, number.id, request.query.limit);
      return {
        number: {
          id: number.id,
          phone: number.phone,
          pool_id: number.pool_id,
          state: number.state,
        },
        history: history.map((entry) => ({
          ...entry,
          actor: entry.actor ?? 'tandem',
          at: entry.at.toISOString(),
        })),
      };
    },
  );
};
