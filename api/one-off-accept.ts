import type { RetryPolicy } from '../core/carrier-errors.ts';
import { senderReasonOf } from '../core/one-off.ts';
import type { Phone } from '../core/phone.ts';
import { DEFAULT_WINDOW } from '../core/quiet-hours.ts';
import { countSegments } from '../core/segments.ts';
import { selectionErrorMessage } from '../core/sender-selection-errors.ts';
import { campaignSendPolicy } from '../activities/send-policy.ts';
import type { Config } from '../config/env.ts';
import type { Db } from '../db/connect.ts';
import { healthSettings } from '../db/health-settings.ts';
import {
  insertOneOff,
  oneOffRecipient,
  poolNumberByPhone,
  type NewOneOff,
} from '../db/one-off-messages.ts';
import { reserveSenders } from '../db/sender-reservations.ts';
import type { Message } from '../db/tables.ts';
import { normalisePhone } from '../core/phone.ts';
import { ApiError, notFound } from './errors.ts';
import { lookupPhoneGeo } from './phone-geo-data.ts';

export interface OneOffRequest {
  to: Phone;
  body: string;
  mediaUrls: readonly string[];
  poolId: string;
  fromNumber: string | null;
  retryPolicy: RetryPolicy;
}

/**
 * Accepts a one-off as a campaign would send it: refused for an opted-out or suppressed
 * recipient; deferred (stored `scheduled`, with when and why) outside the recipient's sending
 * window; otherwise given its sender and MPS slot by the pool now (sticky, geomatch, weights,
 * health: `reserveSenders`, the campaigns' own), so the answer can name them. A pool with no
 * number fit to send refuses it, as Telnyx does, rather than use an unhealthy one.
 */
export async function acceptOneOff(
  db: Db,
  config: Readonly<Config>,
  request: OneOffRequest,
): Promise<Message> {
  const pool = await db
    .selectFrom('pools')
    .select(['id', 'provider'])
    .where('id', '=', request.poolId)
    .executeTakeFirst();
  if (pool === undefined) throw notFound('Pool', request.poolId);
  if (pool.provider !== 'twilio')
    throw new ApiError(
      409,
      'pool_provider',
      `Pool ${pool.id} holds Blooio numbers: one-off SMS go through a Twilio pool`,
    );
  const fromNumber =
    request.fromNumber === null ? null : await ownedSender(db, pool.id, request.fromNumber, config);

  const geo = await lookupPhoneGeo(request.to.callingCode, request.to.nationalNumber);
  const recipient = await oneOffRecipient(db, {
    phone: request.to.e164,
    country: request.to.country,
    ...geo,
  });
  if (recipient.opted_out)
    throw new ApiError(
      409,
      'contact_opted_out',
      `Contact ${recipient.id} (${recipient.phone}) opted out: no message may be sent to them`,
    );
  if (recipient.suppressed)
    throw new ApiError(
      409,
      'suppressed',
      `${recipient.phone} is on the global suppression list: no message may be sent to it`,
    );

  const now = new Date();
  const { segments } = countSegments(request.body);
  const message: NewOneOff = {
    poolId: pool.id,
    contactId: recipient.id,
    toPhone: recipient.phone,
    body: request.body,
    segments,
    mediaUrls: request.mediaUrls,
    retryPolicy: request.retryPolicy,
    requestedFrom: fromNumber,
    sender: null,
    deferral: null,
  };
  const window = campaignSendPolicy(DEFAULT_WINDOW, config.DEFAULT_TIME_ZONE).window(
    recipient,
    now,
  );
  if (!window.open) {
    const { opensAt: at, reason, detail } = window;
    return insertOneOff(db, { ...message, deferral: { at, reason, detail } });
  }
  const [grant] = await reserveSenders(
    db,
    pool.id,
    [
      {
        contactId: recipient.id,
        toPhone: recipient.phone,
        areaCode: recipient.area_code,
        region: recipient.region,
        segments,
        media: request.mediaUrls.length > 0,
        ...(fromNumber === null ? {} : { fromNumber }),
      },
    ],
    now,
    { rateHeadroom: config.RATE_LIMIT_HEADROOM, health: healthSettings(config) },
  );
  if (grant === undefined || !grant.ok)
    throw new ApiError(
      409,
      grant?.code ?? 'no_sender',
      grant?.message ?? 'The pool has no number to send from',
    );
  return insertOneOff(db, {
    ...message,
    sender: {
      numberId: grant.numberId,
      fromPhone: grant.fromPhone,
      reason: senderReasonOf(grant.reason),
      slotAt: grant.sendAt,
    },
  });
}

/** The caller's `from_number` in E.164, when the pool owns it; else the documents' 403. */
async function ownedSender(
  db: Db,
  poolId: string,
  raw: string,
  config: Readonly<Config>,
): Promise<string> {
  const parsed = normalisePhone(raw, config.DEFAULT_COUNTRY);
  const phone = parsed.ok ? parsed.phone.e164 : raw.trim();
  if ((await poolNumberByPhone(db, poolId, phone)) === undefined)
    throw new ApiError(
      403,
      'from_number_not_owned',
      selectionErrorMessage('from_number_not_owned'),
    );
  return phone;
}
