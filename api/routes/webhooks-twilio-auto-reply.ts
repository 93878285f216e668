import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { applyAutoReplyStatus } from '../../db/auto-replies.ts';
import { ApiError } from '../errors.ts';
import { verifyTwilioRequest } from '../twilio-signature.ts';
import { readTwilioStatusForm } from '../twilio-status-form.ts';
import type { WebhookDeps } from './webhook-deps.ts';

/** Path of the status callback of tandem's TwiML answer to the inbound message `inboundSid`. */
export const autoReplyStatusPath = (inboundSid: string) =>
  `/webhooks/twilio/auto-reply/${encodeURIComponent(inboundSid)}/status`;

const params = z.object({ inbound: z.string().min(1).max(64) });

/**
 * Status callbacks of the answers tandem gives in TwiML (HELP text, opt-out confirmation). The
 * answer's sid exists only once the carrier sends it, so its callback URL names the inbound
 * message it answers; the URL is part of what Twilio signs, so it cannot be pointed elsewhere.
 */
export const twilioAutoReplyStatusWebhook: FastifyPluginAsync<WebhookDeps> = async (
  app,
  { db, config },
) => {
  app.post(
    '/twilio/auto-reply/:inbound/status',
    { schema: { hide: true } },
    async (request, reply) => {
      const path = params.safeParse(request.params);
      if (!path.success) throw new ApiError(400, 'invalid_callback', 'No inbound message named');
      const form = verifyTwilioRequest(request, config.TWILIO_AUTH_TOKEN, config.PUBLIC_BASE_URL);
      const { sid, status, errorCode } = readTwilioStatusForm(form);
      if (status === null) return reply.status(204).send();
      const { inbound } = path.data;
      const result = await applyAutoReplyStatus(db, {
        inboundSid: inbound,
        sid,
        status,
        errorCode,
      });
      if (!result.matched) {
        throw new ApiError(404, 'not_found', `No answer to inbound message ${inbound} is ${sid}`);
      }
      return reply.status(204).send();
    },
  );
};
