import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { endpointProblem, WEBHOOK_EVENT_TYPES } from '../../core/webhook-contracts.ts';
import { listDeliveries } from '../../db/webhook-deliveries.ts';
import {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  findWebhookEndpoint,
  listWebhookEndpoints,
  type WebhookEndpoint,
} from '../../db/webhook-endpoints.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { startWebhookDelivery } from '../webhook-delivery-start.ts';
import {
  createdEndpointSchema,
  deliveriesPage,
  deliveriesQuery,
  endpointInput,
  endpointParams,
  endpointSchema,
} from './webhook-endpoint-schemas.ts';
import { z } from 'zod';

const tags = ['webhook endpoints'];

/**
 * The operator's own systems, told about facts as they happen: endpoints with the events they
 * want, and every delivery with its attempts. Creating one starts its delivery workflow.
 */
export const webhookEndpointRoutes: FastifyPluginAsyncZod<ApiDeps> = async (
  app,
  { db, config, temporal },
) => {
  app.post(
    '/webhook-endpoints',
    {
      schema: {
        tags,
        summary: `Register an endpoint for events (${WEBHOOK_EVENT_TYPES.join(', ')})`,
        body: endpointInput,
        response: { 201: createdEndpointSchema },
      },
    },
    async (request, reply) => {
      const { url, events, description } = request.body;
      const problem = endpointProblem({ url, events });
      if (problem !== null) {
        const details = problem.code === 'unknown_event' ? { event: problem.event } : null;
        throw new ApiError(400, problem.code, problem.message, details);
      }
      const endpoint = await createWebhookEndpoint(db, {
        id: `we_${randomBytes(12).toString('hex')}`,
        url,
        events: [...new Set(events)],
        description: description ?? null,
        secret: `whsec_${randomBytes(24).toString('base64url')}`,
      });
      await startWebhookDelivery(temporal, config, endpoint.id);
      return reply.status(201).send({ ...present(endpoint), secret: endpoint.secret });
    },
  );

  app.get(
    '/webhook-endpoints',
    {
      schema: {
        tags,
        summary: 'List endpoints (secrets are never shown again)',
        response: { 200: z.object({ endpoints: z.array(endpointSchema) }) },
      },
    },
    async () => ({ endpoints: (await listWebhookEndpoints(db)).map(present) }),
  );

  app.get(
    '/webhook-endpoints/:id',
    {
      schema: {
        tags,
        summary: 'One endpoint',
        params: endpointParams,
        response: { 200: endpointSchema },
      },
    },
    async (request) => present(await found(request.params.id)),
  );

  app.delete(
    '/webhook-endpoints/:id',
    {
      schema: {
        tags,
        summary: 'Disable an endpoint: no new events; what it has not received is given up',
        params: endpointParams,
        response: { 200: endpointSchema },
      },
    },
    async (request) => {
      const endpoint = await disableWebhookEndpoint(db, request.params.id, new Date());
      if (endpoint === undefined) throw notFound('Webhook endpoint', request.params.id);
      return present(endpoint);
    },
  );

  app.get(
    '/webhook-endpoints/:id/deliveries',
    {
      schema: {
        tags,
        summary: "The endpoint's deliveries, newest event first, with attempts and last answer",
        params: endpointParams,
        querystring: deliveriesQuery,
        response: { 200: deliveriesPage },
      },
    },
    async (request) => {
      await found(request.params.id);
      const { cursor, limit, status } = request.query;
      const rows = await listDeliveries(db, request.params.id, {
        before: cursor === undefined ? null : decodeCursor(cursor),
        limit: limit + 1,
        status: status ?? null,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        deliveries: page.map((row) => ({
          event_id: row.event_public_id,
          event_type: row.event_type,
          status: row.status,
          attempts: row.attempts,
          last_status_code: row.last_status_code,
          last_error: row.last_error,
          created_at: row.created_at.toISOString(),
          last_attempt_at: row.last_attempt_at?.toISOString() ?? null,
          delivered_at: row.delivered_at?.toISOString() ?? null,
        })),
        next_cursor:
          rows.length > limit && last !== undefined
            ? Buffer.from(last.event_id).toString('base64url')
            : null,
      };
    },
  );

  async function found(id: string): Promise<WebhookEndpoint> {
    const endpoint = await findWebhookEndpoint(db, id);
    if (endpoint === undefined) throw notFound('Webhook endpoint', id);
    return endpoint;
  }
};

function present(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    enabled: endpoint.disabled_at === null,
    created_at: endpoint.created_at.toISOString(),
    disabled_at: endpoint.disabled_at?.toISOString() ?? null,
  };
}

function decodeCursor(value: string): string {
  const decoded = Buffer.from(value, 'base64url').toString('utf8');
  if (!/^\d{1,18}$/.test(decoded)) {
    throw new ApiError(400, 'invalid_cursor', 'cursor is not one this API returned');
  }
  return decoded;
}
