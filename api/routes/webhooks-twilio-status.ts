import type { FastifyPluginAsync } from 'fastify';
import { createStatusEventBatcher } from '../status-event-batcher.ts';
import type { WebhookDeps } from './webhook-deps.ts';
import { isNewsOfSentMessage } from '../../core/message-status.ts';
import { ApiError } from '../errors.ts';
import { verifyTwilioRequest } from '../twilio-signature.ts';

/**
 * What is kept of a callback beside its sid, status and error code: the carrier's words for
 * the error, the only other field anything reads (the rest is the message's own data).
 */
const callbackDetail = (params: Record<string, string>): Record<string, string> =>
  params.ErrorMessage === undefined || params.ErrorMessage === ''
    ? {}
    : { ErrorMessage: params.ErrorMessage };

/** Twilio `StatusCallback`: verified, stored once, applied monotonically, fed to number health. */
export const twilioStatusWebhook: FastifyPluginAsync<WebhookDeps> = async (
  app,
  { db, config, statusApplier },
) => {
  const batcher = createStatusEventBatcher(db, (ids) => statusApplier.stored(ids));
  app.post('/twilio/status', async (request, reply) => {
    const params = verifyTwilioRequest(request, config.TWILIO_AUTH_TOKEN, config.PUBLIC_BASE_URL);
    const sid = params.MessageSid ?? params.SmsSid;
    const status = params.MessageStatus ?? params.SmsStatus;
    if (sid === undefined || status === undefined) {
      throw new ApiError(400, 'invalid_callback', 'MessageSid and MessageStatus are required');
    }
    // Answered, not stored: nothing tandem does not know from the create answer.
    if (!isNewsOfSentMessage(status)) return reply.status(204).send();
    const errorCode =
      params.ErrorCode === undefined || params.ErrorCode === '' ? null : Number(params.ErrorCode);
    await batcher.store({
      provider: 'twilio',
      sid,
      status,
      errorCode: Number.isFinite(errorCode) ? errorCode : null,
      payload: callbackDetail(params),
    });
    return reply.status(204).send();
  });
};
