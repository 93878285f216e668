import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { ApiError } from './errors.ts';

/**
 * Verifies `X-Twilio-Signature` against the public URL Twilio called (PUBLIC_BASE_URL plus the
 * path and query) and the form parameters. Anything unsigned or forged is a 403. The URL as
 * configured is checked first, with one HMAC; only a mismatch goes through the SDK's check of
 * the URL's other forms (with and without the port, escaped), which costs up to six.
 */
export function verifyTwilioRequest(
  request: FastifyRequest,
  authToken: string,
  publicBaseUrl: string,
): Record<string, string> {
  const signature = request.headers['x-twilio-signature'];
  const params = formParams(request.body);
  const url = `${publicBaseUrl.replace(/\/+$/, '')}${request.url}`;
  if (
    typeof signature !== 'string' ||
    !(
      sameText(signature, twilio.getExpectedTwilioSignature(authToken, url, params)) ||
      twilio.validateRequest(authToken, signature, url, params)
    )
  ) {
    throw new ApiError(
      403,
      'invalid_signature',
      'X-Twilio-Signature is missing or does not match this request',
    );
  }
  return params;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function formParams(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') params[key] = value;
  }
  return params;
}
