import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { applyConversationSmsStatus } from '../../db/conversation-sms-status.ts';
import { ApiError } from '../errors.ts';
import { verifyTwilioRequest } from '../twilio-signature.ts';
import { readTwilioStatusForm } from '../twilio-status-form.ts';
import type { WebhookDeps } from './webhook-deps.ts';

const params = z.object({ message: z.string().regex(/^\d{1,18}$/) });

/**
 * Status callbacks of the SMS a conversation sends ("text us at" hand-offs). The row exists
 * before the send, so its URL names it, and a callback that beats the send's answer still
 * finds it; Twilio signs the URL, so it cannot be pointed at another row.
 */
export const twilioConversationStatusWebhook: FastifyPluginAsync<WebhookDeps> = async (
  app,
  { db, config },
) => {
  app.post(
    '/twilio/conversation/:message/status',
    { schema: { hide: true } },
    async (request, reply) => {
      const path = params.safeParse(request.params);
      if (!path.success) throw new ApiError(400, 'invalid_callback', 'No message named');
      const form = verifyTwilioRequest(request, config.TWILIO_AUTH_TOKEN, config.PUBLIC_BASE_URL);
      const { sid, status, errorCode } = readTwilioStatusForm(form);
      if (status === null) return reply.status(204).send();
      const result = await applyConversationSmsStatus(db, {
        messageId: path.data.message,
        sid,
        status,
        errorCode,
      });
      if (!result.matched) {
        throw new ApiError(404, 'not_found', `No conversation SMS ${path.data.message} is ${sid}`);
      }
      return reply.status(204).send();
    },
  );
};
