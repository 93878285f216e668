import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { SandboxContext } from '../context.ts';
import type { WebhookAnswer } from '../webhook-sender.ts';
import { randomHex } from '../random.ts';
import { signedForm } from './signature.ts';
import type { StoredMessage } from './message.ts';
import { countSegments } from './segments.ts';

/** Builds the inbound Message resource for an SMS from `from` (a person) to `to` (our number). */
export function inboundMessage(
  ctx: SandboxContext,
  from: string,
  to: string,
  body: string,
): StoredMessage {
  const now = new Date();
  return {
    sid: `SM${randomHex(16)}`,
    accountSid: ctx.settings.accountSid,
    direction: 'inbound',
    from,
    to,
    body,
    segments: countSegments(body).segments,
    mediaUrls: [],
    createdAt: now,
    updatedAt: now,
    status: 'received',
    errorCode: null,
    errorMessage: null,
  };
}

/**
 * Posts the inbound webhook, form-encoded and signed, with Twilio's parameters; `onAnswer` gets
 * the receiver's 2xx answer (its TwiML) and the URL it was posted to.
 */
export function postInbound(
  ctx: SandboxContext,
  message: StoredMessage,
  onAnswer?: (answer: WebhookAnswer, url: string) => void,
): boolean {
  const url = ctx.settings.numbers.get(message.to)?.inboundUrl ?? ctx.settings.inboundUrl;
  if (url === null) return false;
  const fromCountry = parsePhoneNumberFromString(message.from)?.country ?? '';
  const toCountry = parsePhoneNumberFromString(message.to)?.country ?? '';
  const params: Record<string, string> = {
    ToCountry: toCountry,
    ToState: '',
    SmsMessageSid: message.sid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: message.sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: message.body,
    FromCountry: fromCountry,
    To: message.to,
    ToZip: '',
    NumSegments: String(message.segments),
    MessageSid: message.sid,
    AccountSid: message.accountSid,
    From: message.from,
    ApiVersion: '2010-04-01',
  };
  const request = signedForm(ctx.settings.authToken, url, params);
  ctx.webhooks.send(
    onAnswer === undefined ? request : { ...request, onAnswer: (answer) => onAnswer(answer, url) },
  );
  return true;
}
