import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { fromTwilioStatus, isTwilioStatus } from '../../core/message-status.ts';
import { applyConversationSmsStatus } from '../../db/conversation-sms-status.ts';
import { ApiError } from '../errors.ts';
import { verifyTwilioRequest } from '../twilio-signature.ts';
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
      const sid = form.MessageSid ?? form.SmsSid;
      const raw = form.MessageStatus ?? form.SmsStatus;
      if (sid === undefined || raw === undefined) {
        throw new ApiError(400, 'invalid_callback', 'MessageSid and MessageStatus are required');
      }
      if (!isTwilioStatus(raw)) {
        throw new ApiError(400, 'invalid_callback', `Unknown MessageStatus ${raw}`);
      }
      const status = fromTwilioStatus(raw);
      if (status === null) return reply.status(204).send();
      const code =
        form.ErrorCode === undefined || form.ErrorCode === '' ? NaN : Number(form.ErrorCode);
      const result = await applyConversationSmsStatus(db, {
        messageId: path.data.message,
        sid,
        status,
        errorCode: Number.isInteger(code) ? code : null,
      });
      if (!result.matched) {
        throw new ApiError(404, 'not_found', `No conversation SMS ${path.data.message} is ${sid}`);
      }
      return reply.status(204).send();
    },
  );
};
