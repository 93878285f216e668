import type { Twilio } from 'twilio';

/** What tandem needs from an SMS carrier; the real twilio SDK stands behind it. */
export interface SmsCarrier {
  send(message: {
    to: string;
    from: string;
    body: string;
    /** Media to send with the text (an MMS: Twilio's `MediaUrl`, up to 10); none: an SMS. */
    mediaUrls?: readonly string[];
    statusCallback: string;
  }): Promise<SentSms>;
  fetch(sid: string): Promise<SentSms>;
  /** Messages sent from `from` to `to` since `since`, newest first (to reconcile a lost answer). */
  findSent(query: { to: string; from: string; since: Date }): Promise<SentSms[]>;
}

export interface SentSms {
  sid: string;
  status: string;
  body: string;
  errorCode: number | null;
}

/** A carrier refusal: Twilio's error code when it gave one, and the HTTP status. */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly httpStatus: number | null,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}

interface TwilioMessageLike {
  sid: string;
  dateCreated: Date;
  status: string;
  body: string;
  errorCode: number | null;
}

const toSent = (message: TwilioMessageLike): SentSms => ({
  sid: message.sid,
  status: message.status,
  body: message.body,
  errorCode: message.errorCode ?? null,
});

function asSendError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const code = 'code' in error && typeof error.code === 'number' ? error.code : null;
  const status = 'status' in error && typeof error.status === 'number' ? error.status : null;
  if (code === null && status === null) return error;
  const message = error instanceof Error ? error.message : `Twilio error ${code ?? status}`;
  return new SmsSendError(message, code, status);
}

export function twilioSmsCarrier(client: Twilio): SmsCarrier {
  return {
    async send({ to, from, body, mediaUrls, statusCallback }) {
      const media =
        mediaUrls === undefined || mediaUrls.length === 0 ? {} : { mediaUrl: [...mediaUrls] };
      try {
        return toSent(await client.messages.create({ to, from, body, statusCallback, ...media }));
      } catch (error) {
        throw asSendError(error);
      }
    },
    async fetch(sid) {
      try {
        return toSent(await client.messages(sid).fetch());
      } catch (error) {
        throw asSendError(error);
      }
    },
    async findSent({ to, from, since }) {
      // Twilio's list, filtered by To, From and DateSent. A message the carrier still queues
      // may have no date_sent yet, so the newest ones of the pair (Twilio lists newest first)
      // are looked at too. Only ambiguous sends are resolved this way: rare, two requests each.
      const [dated, newest] = await Promise.all([
        client.messages.list({ to, from, dateSentAfter: since, limit: 50 }),
        client.messages.list({ to, from, limit: 20 }),
      ]);
      const bySid = new Map([...dated, ...newest].map((message) => [message.sid, message]));
      return [...bySid.values()].filter((message) => message.dateCreated >= since).map(toSent);
    },
  };
}
