import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { poolHealthPolicy } from '../../core/pool-health.ts';
import { healthSettings } from '../../db/health-settings.ts';
import { poolNumberDetails, recentReassignments } from '../../db/pool-detail.ts';
import { addPoolNumber, createPool, findPool, listPools } from '../../db/pools.ts';
import { retireNumber } from '../../db/retire-number.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import {
  DEFAULT_IMESSAGE_DAILY_CAP,
  DEFAULT_MPS,
  PROVIDER_NAME,
  defaultKind,
  providerOfKind,
} from './pool-number-defaults.ts';
import { senderGeography } from './pool-number-geo.ts';
import {
  presentNumber,
  presentNumberDetail,
  presentPool,
  presentReassignment,
  presentSummary,
} from './pool-presenters.ts';
import {
  errorSchema,
  numberInput,
  numberSchema,
  poolDetailSchema,
  poolInput,
  poolNumberParams,
  poolParams,
  poolSchema,
  poolSummarySchema,
  retiredSchema,
} from './pool-schemas.ts';
import { z } from 'zod';

const tags = ['pools'];

/** Sender pools: numbers, their weights, limits, health and sticky contacts. */
export const poolRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  const health = healthSettings(config);

  app.post(
    '/pools',
    {
      schema: {
        tags,
        summary: 'Create a sender pool (one provider: twilio or blooio)',
        body: poolInput,
        response: { 201: poolSchema, 400: errorSchema },
      },
    },
    async (request, reply) => {
      const pool = await createPool(db, request.body);
      return reply.status(201).send(presentPool(pool, health));
    },
  );

  app.get(
    '/pools',
    {
      schema: {
        tags,
        summary: 'List pools with their numbers by state',
        response: { 200: z.object({ pools: z.array(poolSummarySchema) }) },
      },
    },
    async () => ({ pools: (await listPools(db)).map((pool) => presentSummary(pool, health)) }),
  );

  app.get(
    '/pools/:id',
    {
      schema: {
        tags,
        summary: 'A pool with every number, its state, health and recent state changes',
        params: poolParams,
        response: { 200: poolDetailSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const pool = await findPool(db, request.params.id);
      if (pool === undefined) throw notFound('Pool', request.params.id);
      const now = new Date();
      const poolHealth = { ...health, policy: poolHealthPolicy(health.policy, pool) };
      const [numbers, moves] = await Promise.all([
        poolNumberDetails(db, pool.id, now, poolHealth),
        recentReassignments(db, pool.id),
      ]);
      return {
        ...presentPool(pool, health),
        numbers: numbers.map((n) => presentNumberDetail(n, poolHealth)),
        recent_reassignments: moves.map(presentReassignment),
      };
    },
  );

  app.post(
    '/pools/:id/numbers',
    {
      schema: {
        tags,
        summary: 'Add a number to a pool',
        params: poolParams,
        body: numberInput,
        response: { 201: numberSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const pool = await findPool(db, request.params.id);
      if (pool === undefined) throw notFound('Pool', request.params.id);
      const body = request.body;
      const kind = body.kind ?? defaultKind(pool.provider);
      if (providerOfKind(kind) !== pool.provider) {
        const owner = PROVIDER_NAME[pool.provider];
        throw new ApiError(
          409,
          'provider_mismatch',
          `Pool already owns ${owner} numbers: a pool holds one provider only; add ${PROVIDER_NAME[providerOfKind(kind)]} numbers to a separate pool`,
          { pool_provider: pool.provider, kind },
        );
      }
      const geo = await senderGeography(body.phone, kind);
      const result = await addPoolNumber(
        db,
        pool.id,
        {
          phone: body.phone,
          kind,
          weight: body.weight ?? 1,
          mps: body.mps ?? DEFAULT_MPS[kind],
          mmsMps: body.mms_mps ?? null,
          dailyCap:
            body.daily_cap === undefined
              ? kind === 'imessage'
                ? DEFAULT_IMESSAGE_DAILY_CAP
                : null
              : body.daily_cap,
          areaCode: body.area_code === undefined ? geo.areaCode : body.area_code,
          region: body.region === undefined ? geo.region : body.region,
        },
        new Date(),
      );
      if (!result.ok) {
        throw new ApiError(
          409,
          'number_taken',
          `Number ${body.phone} already belongs to pool ${result.poolId}: a number belongs to one pool`,
          { pool_id: result.poolId },
        );
      }
      return reply.status(201).send(presentNumber(result.number));
    },
  );

  app.delete(
    '/pools/:id/numbers/:phone',
    {
      schema: {
        tags,
        summary: 'Retire a number; its sticky contacts move to the best other number',
        params: poolNumberParams,
        response: { 200: retiredSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const { id, phone } = request.params;
      const result = await retireNumber(db, id, phone, new Date());
      if (!result.ok) throw notFound('Live number in this pool:', phone);
      return {
        number: presentNumber(result.number),
        moved_contacts: result.moved,
        unassigned_contacts: result.unassigned,
      };
    },
  );
};
