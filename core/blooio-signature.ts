import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Blooio webhook signatures, as Blooio documents them (docs.blooio.com/guides/webhook-signatures):
 * `X-Blooio-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
 * rejected when the timestamp is more than five minutes away from now.
 */
export const BLOOIO_SIGNATURE_HEADER = 'x-blooio-signature';
export const BLOOIO_SIGNATURE_TOLERANCE_SECONDS = 300;

export type BlooioSignatureCheck =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export interface VerifyBlooioSignatureInput {
  readonly secret: string;
  readonly rawBody: string | Buffer;
  readonly header: string | undefined;
  readonly nowSeconds?: number;
  readonly toleranceSeconds?: number;
}

function digest(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The header value for a body signed at `timestamp` (unix seconds). */
export function signBlooioWebhook(
  secret: string,
  rawBody: string | Buffer,
  timestamp: number = Math.floor(Date.now() / 1000),
): string {
  return `t=${timestamp},v1=${digest(secret, timestamp, rawBody)}`;
}

/** Checks a signature header against the raw body, in constant time, within the tolerance. */
export function verifyBlooioWebhook(input: VerifyBlooioSignatureInput): BlooioSignatureCheck {
  if (input.header === undefined || input.header === '') return { ok: false, reason: 'missing' };
  const parts = new Map<string, string[]>();
  for (const part of input.header.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const key = part.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), part.slice(at + 1).trim()]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  const signatures = parts.get('v1') ?? [];
  if (!Number.isInteger(timestamp) || signatures.length === 0) {
    return { ok: false, reason: 'malformed' };
  }
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = input.toleranceSeconds ?? BLOOIO_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(digest(input.secret, timestamp, input.rawBody), 'hex');
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
