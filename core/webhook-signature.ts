import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signing of webhook deliveries: `Tandem-Signature: v1=<hex HMAC-SHA256(secret,
 * "<timestamp>.<raw body>")>` with `Tandem-Timestamp` in unix seconds. The timestamp is signed
 * with the body, so a receiver that rejects old timestamps also rejects replays.
 */
export const SIGNATURE_VERSION = 'v1';

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `${SIGNATURE_VERSION}=${digest}`;
}

export interface SignedDelivery {
  signature: string | undefined;
  timestamp: string | undefined;
  body: string;
}

export type SignatureCheck =
  { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' | 'too_old' };

/**
 * What a receiver does (and the README shows): the header carries one or more `v1=` values
 * separated by commas (more than one while a secret is being rolled); any that matches, in
 * constant time, with a timestamp within `toleranceSeconds` of `nowSeconds`, is accepted.
 */
export function verifyWebhookSignature(
  secret: string,
  delivery: SignedDelivery,
  nowSeconds: number,
  toleranceSeconds = 300,
): SignatureCheck {
  if (delivery.signature === undefined || delivery.timestamp === undefined) {
    return { ok: false, reason: 'missing' };
  }
  if (!/^\d{1,12}$/.test(delivery.timestamp)) return { ok: false, reason: 'malformed' };
  const timestamp = Number(delivery.timestamp);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: 'too_old' };
  const expected = Buffer.from(webhookSignature(secret, timestamp, delivery.body));
  const matches = delivery.signature
    .split(',')
    .map((value) => Buffer.from(value.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
  return matches ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** The delivery body: the same bytes on every attempt, so the event id is the receiver's key. */
export function webhookBody(event: {
  id: string;
  type: string;
  createdAt: Date;
  data: unknown;
}): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    created_at: event.createdAt.toISOString(),
    data: event.data,
  });
}
