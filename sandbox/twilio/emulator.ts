import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { NumberBehaviour } from '../config.ts';
import type { SandboxContext } from '../context.ts';
import { randomHex } from '../random.ts';
import { planReply, ReplyMemory } from '../replies.ts';
import { deliveryError, errors, type TwilioError } from './errors.ts';
import { checkMedia, fetchable } from './media.ts';
import { inboundMessage, postInbound } from './inbound.ts';
import { OptOuts } from './keywords.ts';
import { runLifecycle } from './lifecycle.ts';
import type { StoredMessage } from './message.ts';
import { decideOutcome, type Outcome } from './outcome.ts';
import { countSegments } from './segments.ts';
import { MessageStore } from './store.ts';
import { parseMessagingTwiml, type TwimlMessage } from './twiml.ts';
import type { WebhookAnswer } from '../webhook-sender.ts';

/** A send that passed every check: what `accept` needs to create the message. */
export interface SendRequest {
  readonly from: string;
  readonly to: string;
  readonly body: string;
  /** Media to send with it (an MMS). */
  readonly mediaUrls: readonly string[];
  readonly number: NumberBehaviour;
  readonly statusCallback: string | undefined;
}

export type CheckResult =
  | { readonly ok: true; readonly send: SendRequest }
  | { readonly ok: false; readonly error: TwilioError };

/** The Twilio Messages emulator: accepts sends, runs their lifecycle, answers, opts out. */
export class TwilioEmulator {
  readonly store = new MessageStore();
  readonly optOuts = new OptOuts();
  /** TwiML documents Twilio could not read (error 12100), newest last. */
  readonly twimlErrors: { inboundSid: string; error: string }[] = [];
  /** When each account number was first listed (its IncomingPhoneNumber's dates). */
  readonly #numbersSeen = new Map<string, Date>();
  readonly #replies = new ReplyMemory();
  readonly #ctx: SandboxContext;

  constructor(ctx: SandboxContext) {
    this.#ctx = ctx;
  }

  numberCreatedAt(phone: string): Date {
    let date = this.#numbersSeen.get(phone);
    if (date === undefined) this.#numbersSeen.set(phone, (date = new Date()));
    return date;
  }

  /** Checks a create request the way Twilio does, without creating anything. */
  check(
    params: Readonly<Record<string, string | undefined>>,
    mediaUrls: readonly string[] = [],
  ): CheckResult {
    const { settings } = this.#ctx;
    const rawTo = params.To?.trim() ?? '';
    const from = params.From?.trim() ?? '';
    if (rawTo === '') return { ok: false, error: errors.missingTo() };
    if (from === '') return { ok: false, error: errors.missingFrom() };
    const parsed = parsePhoneNumberFromString(rawTo, 'US');
    if (parsed === undefined || !parsed.isPossible()) {
      return { ok: false, error: errors.invalidTo(rawTo) };
    }
    const to = parsed.number;
    const number = settings.numbers.get(from);
    if (number === undefined || !number.smsCapable)
      return { ok: false, error: errors.notOwnedFrom(from) };
    const body = params.Body ?? '';
    if (body.trim() === '' && mediaUrls.length === 0)
      return { ok: false, error: errors.emptyBody() };
    const mediaError = checkMedia(mediaUrls);
    if (mediaError !== null) return { ok: false, error: mediaError };
    if (this.optOuts.has(from, to) || settings.recipients.get(to)?.carrierOptOut === true)
      return { ok: false, error: errors.unsubscribed() };
    const callback = params.StatusCallback;
    if (callback !== undefined && callback !== '' && !URL.canParse(callback)) {
      return { ok: false, error: errors.invalidStatusCallback(callback) };
    }
    const statusCallback = callback || undefined;
    return { ok: true, send: { from, to, body, mediaUrls, number, statusCallback } };
  }

  /**
   * Creates a checked message: stored, in the ledger and the MPS meter, its lifecycle started.
   * `outbound-reply`: a TwiML `<Message>` answering an inbound message (never answered back).
   */
  accept(
    send: SendRequest,
    direction: 'outbound-api' | 'outbound-reply' = 'outbound-api',
  ): StoredMessage {
    const { settings } = this.#ctx;
    const { from, to, body, number, mediaUrls } = send;
    const now = new Date();
    const { segments } = countSegments(body);
    const message: StoredMessage = {
      sid: `SM${randomHex(16)}`,
      accountSid: settings.accountSid,
      direction,
      from,
      to,
      body,
      segments,
      mediaUrls,
      createdAt: now,
      updatedAt: now,
      status: 'queued',
      errorCode: null,
      errorMessage: null,
    };
    this.store.add(message);
    const at = now.toISOString();
    const sid = message.sid;
    this.#ctx.ledger.record({ channel: 'sms', sid, from, to, body, segments, mediaUrls, at });
    // An MMS counts as one message against the number's MMS rate, metered apart.
    if (mediaUrls.length === 0) this.#ctx.mps.record(from, segments, number.mps, now.getTime());
    else this.#ctx.mps.record(`${from} mms`, 1, number.mmsMps ?? number.mps, now.getTime());
    const decided = decideOutcome(settings, number, to, this.store.nextPairIndex(from, to));
    const run = (outcome: Outcome) =>
      runLifecycle(this.#ctx, message, outcome, send.statusCallback, () => {
        if (outcome.status === 'delivered' && direction === 'outbound-api')
          this.#maybeReply(message);
      });
    if (mediaUrls.length === 0) run(decided);
    else
      void fetchable(mediaUrls).then((ok) =>
        run(ok ? decided : { ...decided, ...mediaRetrievalFailure() }),
      );
    return message;
  }

  /** An SMS from a person (`from`) to one of our numbers (`to`): stored, keywords applied, posted. */
  receive(from: string, to: string, body: string): StoredMessage {
    const message = inboundMessage(this.#ctx, from, to, body);
    this.store.add(message);
    this.optOuts.apply(to, from, body);
    postInbound(this.#ctx, message, (answer, url) => this.#answer(message, answer, url));
    return message;
  }

  /** Plays the inbound webhook's TwiML as Twilio does: each `<Message>` is sent. */
  #answer(inbound: StoredMessage, answer: WebhookAnswer, webhookUrl: string): void {
    if (answer.body.trim() === '') return;
    const parsed = parseMessagingTwiml(answer.body);
    if (!parsed.ok) {
      this.twimlErrors.push({ inboundSid: inbound.sid, error: parsed.error });
      return;
    }
    for (const message of parsed.messages) this.#sendTwiml(inbound, message, webhookUrl);
  }

  /**
   * A `<Message>`: from the number that received the inbound message to its sender unless the
   * verb says otherwise; its statuses go to `action` (or the older `statusCallback`), relative
   * URLs read against the webhook's, else to the number's own status callback. A message
   * Twilio refuses (an opted-out recipient: 21610) is created failed and reported as such.
   */
  #sendTwiml(inbound: StoredMessage, message: TwimlMessage, webhookUrl: string): void {
    const { action, statusCallback, from, to } = message.attributes;
    const named = action ?? statusCallback;
    const callback =
      named === undefined
        ? this.#ctx.settings.numbers.get(inbound.to)?.statusCallback
        : URL.canParse(named, webhookUrl)
          ? new URL(named, webhookUrl).toString()
          : named;
    const checked = this.check({
      From: from ?? inbound.to,
      To: to ?? inbound.from,
      Body: message.body,
      StatusCallback: callback,
    });
    if (checked.ok) {
      this.accept(checked.send, 'outbound-reply');
      return;
    }
    this.#refuse(inbound, message.body, checked.error, callback);
  }

  #refuse(inbound: StoredMessage, body: string, error: TwilioError, callback?: string): void {
    const now = new Date();
    const message: StoredMessage = {
      sid: `SM${randomHex(16)}`,
      accountSid: this.#ctx.settings.accountSid,
      direction: 'outbound-reply',
      from: inbound.to,
      to: inbound.from,
      body,
      segments: countSegments(body).segments,
      mediaUrls: [],
      createdAt: now,
      updatedAt: now,
      status: 'queued',
      errorCode: null,
      errorMessage: null,
    };
    this.store.add(message);
    const outcome: Outcome = {
      status: 'failed',
      errorCode: error.code,
      errorMessage: error.message,
      latencyMs: 3,
      duplicate: false,
      outOfOrder: false,
    };
    const url = callback !== undefined && URL.canParse(callback) ? callback : undefined;
    runLifecycle(this.#ctx, message, outcome, url, () => undefined);
  }

  clear(): void {
    this.twimlErrors.length = 0;
    this.store.clear();
    this.optOuts.clear();
    this.#replies.clear();
  }

  #maybeReply(message: StoredMessage): void {
    const { settings } = this.#ctx;
    const override = settings.recipients.get(message.to)?.reply;
    const plan = planReply(settings.replies, settings.seed, message.to, override);
    if (plan === null) return;
    if (!this.#replies.claim(message.from, message.to, settings.replies.repeat)) return;
    this.#ctx.scheduler.at(plan.delayMs, () => this.receive(message.to, message.from, plan.body));
  }
}

/** The outcome of an MMS whose media Twilio could not retrieve: failed, 11200. */
function mediaRetrievalFailure(): Pick<Outcome, 'status' | 'errorCode' | 'errorMessage'> {
  const { status, message } = deliveryError(11200);
  return { status, errorCode: 11200, errorMessage: message };
}
