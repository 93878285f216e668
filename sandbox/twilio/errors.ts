import type { FaultStatus } from '../faults/effects.ts';

/** Twilio's REST error body: `{ code, message, more_info, status }`. */
export interface TwilioError {
  readonly code: number;
  readonly message: string;
  readonly more_info: string;
  readonly status: number;
}

export function twilioError(status: number, code: number, message: string): TwilioError {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export const errors = {
  authenticate: () => twilioError(401, 20003, 'Authenticate'),
  notFound: (path: string) =>
    twilioError(404, 20404, `The requested resource ${path} was not found`),
  missingTo: () => twilioError(400, 21604, "A 'To' phone number is required."),
  missingFrom: () => twilioError(400, 21603, "A 'From' phone number is required."),
  invalidTo: (to: string) =>
    twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`),
  notOwnedFrom: (from: string) =>
    twilioError(
      400,
      21606,
      `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
    ),
  emptyBody: () => twilioError(400, 21602, 'Message body is required.'),
  unsubscribed: () => twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'),
  invalidStatusCallback: (url: string) =>
    twilioError(400, 21609, `The StatusCallback URL ${url} is not a valid URL.`),
  tooManyMedia: () => twilioError(400, 21623, 'Number of media files exceeds allowed limit'),
  invalidMediaUrl: (url: string) => twilioError(400, 21620, `Invalid media URL(s): ${url}`),
  invalidDate: () => twilioError(400, 20001, 'Invalid date value.'),
  tooManyRequests: () => twilioError(429, 20429, 'Too Many Requests'),
  internalServerError: () => twilioError(500, 20500, 'Internal Server Error'),
  serviceUnavailable: () => twilioError(503, 20503, 'Service Unavailable'),
};

/** The body Twilio answers an overloaded or failing API request with. */
export function faultError(status: FaultStatus): TwilioError {
  if (status === 429) return errors.tooManyRequests();
  return status === 500 ? errors.internalServerError() : errors.serviceUnavailable();
}

/** Delivery error codes: which final status each one gives, and Twilio's title for it. */
const DELIVERY_ERRORS: Record<number, { status: 'failed' | 'undelivered'; message: string }> = {
  11200: { status: 'failed', message: 'HTTP retrieval failure' },
  30001: { status: 'failed', message: 'Queue overflow' },
  30002: { status: 'failed', message: 'Account suspended' },
  30003: { status: 'undelivered', message: 'Unreachable destination handset' },
  30004: { status: 'undelivered', message: 'Message blocked' },
  30005: { status: 'undelivered', message: 'Unknown destination handset' },
  30006: { status: 'undelivered', message: 'Landline or unreachable carrier' },
  30007: { status: 'undelivered', message: 'Message filtered' },
  30008: { status: 'undelivered', message: 'Unknown error' },
  30032: { status: 'failed', message: 'Toll-Free Number Has Not Been Verified' },
  30034: { status: 'failed', message: 'Message from an Unregistered Number' },
};

/**
 * Twilio reports carrier-side failures (30003–30008, including 30007 filtering) as `undelivered`,
 * and failures before the message left Twilio (queue overflow, suspension, unregistered sender)
 * as `failed`.
 */
export function deliveryError(code: number): { status: 'failed' | 'undelivered'; message: string } {
  return DELIVERY_ERRORS[code] ?? { status: 'undelivered', message: 'Unknown error' };
}
