import type { FastifyPluginAsync } from 'fastify';
import { TWIML_CONTENT_TYPE, twimlResponse } from '../../core/twiml.ts';
import { signalInterest } from '../conversation-signals.ts';
import { ApiError } from '../errors.ts';
import { autoReplyStatusPath } from './webhooks-twilio-auto-reply.ts';
import { verifyTwilioRequest } from '../twilio-signature.ts';
import type { WebhookDeps } from './webhook-deps.ts';

/**
 * Twilio's incoming-message webhook: verified, stored once per MessageSid, attributed, acted
 * on (opt-out, opt-in, help, hand-off) and answered with TwiML.
 */
export const twilioInboundWebhook: FastifyPluginAsync<WebhookDeps> = async (app, deps) => {
  const { config, temporal, recordReply } = deps;
  app.post('/twilio/inbound', async (request, reply) => {
    const params = verifyTwilioRequest(request, config.TWILIO_AUTH_TOKEN, config.PUBLIC_BASE_URL);
    const sid = params.MessageSid ?? params.SmsSid;
    const { From: from, To: to } = params;
    if (sid === undefined || from === undefined || to === undefined) {
      throw new ApiError(400, 'invalid_webhook', 'MessageSid, From and To are required');
    }
    const body = params.Body ?? '';
    const outcome = await recordReply({
      provider: 'twilio',
      sid,
      from,
      to,
      body,
      protocol: 'sms',
    });
    if (outcome.handOff && outcome.contactId !== null && outcome.campaignId !== null) {
      await signalInterest(temporal, config, outcome.contactId, {
        campaignId: outcome.campaignId,
        inboundMessageId: outcome.inboundId,
        replyTo: to,
      });
    }
    // The answer's statuses come back to a URL naming this message: its sid is not known yet.
    const action = `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}${autoReplyStatusPath(sid)}`;
    return reply
      .status(200)
      .type(TWIML_CONTENT_TYPE)
      .send(twimlResponse(outcome.reply, { action }));
  });
};
