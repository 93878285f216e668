import { errorResponses } from './openapi-errors.ts';

/**
 * The carrier webhooks as the carriers send them (Twilio's form-encoded callbacks, Blooio's
 * signed JSON events), for the OpenAPI document. The routes read their bodies themselves
 * (the signature covers the raw request), so these schemas document and do not validate.
 */

const form = (properties: Record<string, unknown>, required: string[]) => ({
  content: {
    'application/x-www-form-urlencoded': {
      schema: { type: 'object', required, properties, additionalProperties: { type: 'string' } },
    },
  },
});

const text = (description: string) => ({ type: 'string', description });

const twilioSignature = {
  type: 'object',
  required: ['x-twilio-signature'],
  properties: {
    'x-twilio-signature': text(
      'Base64 HMAC-SHA1 (auth token) of the URL Twilio called (PUBLIC_BASE_URL + path) followed by the sorted form parameters',
    ),
  },
};

const accepted = {
  type: 'null',
  description: 'Verified and stored (a repeat is acknowledged too)',
};

const twilioStatus = {
  summary: 'Twilio message status callback (StatusCallback)',
  description:
    'Sent by Twilio for each status change of a message tandem sent. Verified, stored once per (MessageSid, MessageStatus), applied monotonically and fed to number health.',
  headers: twilioSignature,
  body: form(
    {
      MessageSid: text('The message, SM…'),
      MessageStatus: text('queued, sending, sent, delivered, undelivered, failed, …'),
      SmsSid: text('Same as MessageSid (legacy)'),
      SmsStatus: text('Same as MessageStatus (legacy)'),
      ErrorCode: text('Twilio error code when failed or undelivered, e.g. 30007'),
      AccountSid: text('The account, AC…'),
      From: text('The sender, E.164'),
      To: text('The recipient, E.164'),
      ApiVersion: text('2010-04-01'),
    },
    ['MessageSid', 'MessageStatus'],
  ),
  response: { 204: accepted, ...errorResponses([400, 403, 503]) },
};

const twilioInbound = {
  summary: 'Twilio incoming message webhook',
  description:
    'Sent by Twilio when someone texts a pool number. Opt-out and opt-in keywords act at once; an interested reply starts the iMessage hand-off. Answers TwiML (a reply for HELP, STOP confirmations as Twilio sends them, or nothing).',
  headers: twilioSignature,
  body: form(
    {
      MessageSid: text('The incoming message, SM…'),
      SmsSid: text('Same as MessageSid (legacy)'),
      AccountSid: text('The account, AC…'),
      From: text('The person who wrote, E.164'),
      To: text('The pool number written to, E.164'),
      Body: text('The text of the message'),
      NumMedia: text('Number of media attachments'),
      NumSegments: text('Segments of the message'),
      FromCountry: text('Sender country'),
      ToCountry: text('Recipient country'),
      ApiVersion: text('2010-04-01'),
    },
    ['MessageSid', 'From', 'To'],
  ),
  response: {
    200: {
      description: 'TwiML: `<Response/>`, or `<Response><Message>…</Message></Response>`',
      content: { 'text/xml': { schema: { type: 'string' } } },
    },
    ...errorResponses([400, 403, 503]),
  },
};

const blooio = {
  summary: 'Blooio webhook (message.status, message.received)',
  description:
    'Sent by Blooio for iMessage/SMS/RCS status changes of messages tandem sent and for messages received on a follow-up number. Other event types are acknowledged and ignored.',
  headers: {
    type: 'object',
    required: ['x-blooio-signature'],
    properties: {
      'x-blooio-signature': text(
        '`t=<unix seconds>,v1=<hex HMAC-SHA256(webhook secret, "<t>.<raw body>")>`; refused when t is more than 300 s from now',
      ),
    },
  },
  body: {
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['event', 'message_id'],
          properties: {
            event: { type: 'string', enum: ['message.status', 'message.received'] },
            message_id: text('Blooio message id'),
            status: text('message.status: queued, sent, delivered, failed, …'),
            protocol: text('imessage, sms or rcs'),
            error: text('message.status: why it failed'),
            external_id: text('message.received: the person who wrote'),
            internal_id: text('message.received: the Blooio number written to'),
            text: text('message.received: the text of the message'),
          },
        },
      },
    },
  },
  response: { 204: accepted, ...errorResponses([400, 403, 503]) },
};

/** Documentation of each webhook route, by its URL. */
const twilioAutoReplyStatus = {
  summary: "Twilio status callback of tandem's TwiML answers (the <Message> action URL)",
  description:
    "Sent by Twilio for each status change of an answer tandem gave in TwiML (the HELP text, an opt-in confirmation). The answer's sid is known only from these callbacks, so the URL names the inbound message (`inbound`, its MessageSid) it answers; the URL is part of what Twilio signs. Statuses only move forward.",
  headers: twilioSignature,
  params: {
    type: 'object',
    required: ['inbound'],
    properties: { inbound: text('MessageSid of the inbound message answered, SM…') },
  },
  body: twilioStatus.body,
  response: { 204: accepted, ...errorResponses([400, 403, 404, 503]) },
};

const twilioConversationStatus = {
  summary: 'Twilio status callback of a conversation\'s SMS (the "text us at" hand-off)',
  description:
    'Sent by Twilio for each status change of an SMS a conversation sent (the text_us hand-off). The URL names the stored conversation message (`message`), which exists before the send, so a callback that arrives before the send is answered still finds it; the URL is part of what Twilio signs. Statuses only move forward.',
  headers: twilioSignature,
  params: {
    type: 'object',
    required: ['message'],
    properties: { message: text('Id of the conversation message') },
  },
  body: twilioStatus.body,
  response: { 204: accepted, ...errorResponses([400, 403, 404, 503]) },
};

export const WEBHOOK_DOCS: Readonly<Record<string, Record<string, unknown>>> = {
  '/webhooks/twilio/status': twilioStatus,
  '/webhooks/twilio/auto-reply/:inbound/status': twilioAutoReplyStatus,
  '/webhooks/twilio/conversation/:message/status': twilioConversationStatus,
  '/webhooks/twilio/inbound': twilioInbound,
  '/webhooks/blooio': blooio,
};
