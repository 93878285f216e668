import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DEFAULT_ONE_OFF_RETRY_POLICY, oneOffWorkflowId } from '../../core/one-off.ts';
import { normalisePhone } from '../../core/phone.ts';
import { findMessage } from '../../db/one-off-messages.ts';
import { wakeSignal } from '../../workflows/one-off-sends.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { messageView } from '../message-view.ts';
import { acceptOneOff } from '../one-off-accept.ts';
import { messageParams, messageResource, sendMessageBody } from '../schemas/message.ts';

/**
 * `POST /v1/messages`: one message through a pool, without a campaign (the Telnyx Number Pool
 * and Blooio "send to the pool" contract). The pool picks the sender as a campaign would and
 * the answer names it and why; the pool's `OneOffSendWorkflow` sends it. `GET /v1/messages/:id`:
 * any message, one-off or a campaign's, with its status.
 */
export const messageRoutes: FastifyPluginAsyncZod<ApiDeps> = async (
  app,
  { db, config, temporal },
) => {
  app.post(
    '/messages',
    { schema: { body: sendMessageBody, response: { 202: messageResource } } },
    async (request, reply) => {
      const { body } = request;
      const to = normalisePhone(body.to, config.DEFAULT_COUNTRY);
      if (!to.ok)
        throw new ApiError(400, 'invalid_to', `'to' ${body.to} cannot be texted: ${to.reason}`, {
          reason: to.reason,
        });
      const message = await acceptOneOff(db, config, {
        to: to.phone,
        body: body.body,
        mediaUrls: body.media_urls ?? [],
        poolId: body.pool_id,
        fromNumber: body.from_number ?? null,
        retryPolicy: body.retry_policy ?? DEFAULT_ONE_OFF_RETRY_POLICY,
      });
      await temporal.workflow.signalWithStart('OneOffSendWorkflow', {
        workflowId: oneOffWorkflowId(body.pool_id),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [
          {
            poolId: body.pool_id,
            window: config.SEND_WINDOW,
            batchSize: config.SEND_BATCH_SIZE,
            checkIntervalSeconds: config.CAMPAIGN_CHECK_SECONDS,
            idleSeconds: config.ONE_OFF_IDLE_SECONDS,
          },
        ],
        signal: wakeSignal,
        signalArgs: [],
      });
      return reply.status(202).send(messageView(message, new Date()));
    },
  );

  app.get(
    '/messages/:id',
    { schema: { params: messageParams, response: { 200: messageResource } } },
    async (request) => {
      const message = await findMessage(db, request.params.id);
      if (message === undefined) throw notFound('Message', request.params.id);
      return messageView(message, new Date());
    },
  );
};
