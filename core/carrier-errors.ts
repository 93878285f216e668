import { assertNever } from './assert-never.ts';

/**
 * - transient: retry later, from a different number;
 * - sender: the sending number is at fault (filtering, registration): counts against its
 *   health, retry from another number;
 * - misconfigured_sender: the sending number cannot send at all (not owned by the account, not
 *   SMS-capable, not a valid From): the number is taken out of its pool as `misconfigured`,
 *   never counted against its delivery health, and the message waits for another number;
 * - permanent_recipient: the recipient cannot receive SMS: end the contact for this campaign;
 * - opted_out: the recipient unsubscribed at the carrier: opt them out everywhere;
 * - account: account or configuration problem no retry fixes: stop and report.
 * - content: the message itself cannot be sent as it is (its media: too many, a URL that is
 *   not http(s), media Twilio could not fetch): no retry fixes it and no number is blamed.
 */
export type ErrorClass =
  | 'transient'
  | 'sender'
  | 'misconfigured_sender'
  | 'permanent_recipient'
  | 'opted_out'
  | 'account'
  | 'content';

export interface CarrierError {
  code: number;
  class: ErrorClass;
  reason: string;
}

function entry(code: number, errorClass: ErrorClass, reason: string): [number, CarrierError] {
  return [code, { code, class: errorClass, reason }];
}

// Twilio error dictionary: https://www.twilio.com/docs/api/errors
export const TWILIO_ERRORS: ReadonlyMap<number, CarrierError> = new Map([
  entry(30001, 'transient', 'Queue overflow: too many messages queued for the sender'),
  entry(30002, 'account', 'Account suspended'),
  entry(30003, 'transient', 'Unreachable destination handset (off or out of coverage)'),
  entry(30004, 'permanent_recipient', 'Message blocked by the recipient or their carrier'),
  entry(30005, 'permanent_recipient', 'Unknown destination handset: the number does not exist'),
  entry(30006, 'permanent_recipient', 'Landline or unreachable carrier'),
  entry(30007, 'sender', 'Carrier filtering: message flagged as spam from this sender'),
  entry(30008, 'transient', 'Unknown delivery error'),
  entry(30010, 'account', 'Message price exceeds the configured max price'),
  entry(30032, 'sender', 'Toll-free number not verified'),
  entry(30034, 'sender', 'Message from an unregistered number (A2P 10DLC)'),
  entry(21211, 'permanent_recipient', "Invalid 'To' phone number"),
  entry(21408, 'account', 'Permission to send to this region is not enabled'),
  entry(
    21212,
    'misconfigured_sender',
    "Invalid 'From' number: not a valid phone number or sender ID",
  ),
  entry(
    21606,
    'misconfigured_sender',
    "The 'From' number is not a valid, SMS-capable number of this account",
  ),
  entry(21659, 'misconfigured_sender', "The 'From' number is not a Twilio phone number"),
  entry(21660, 'misconfigured_sender', "The 'From' number does not belong to this account"),
  entry(21661, 'misconfigured_sender', "The 'From' number is not SMS-capable"),
  entry(21610, 'opted_out', 'Recipient has unsubscribed (replied STOP) from this sender'),
  entry(21612, 'permanent_recipient', "The 'To' number is not reachable by SMS from this sender"),
  entry(21614, 'permanent_recipient', "'To' number is not a valid mobile number"),
  entry(20429, 'transient', 'Too many requests to the Twilio API'),
  entry(21620, 'content', 'Invalid media URL(s): each MediaUrl must be an http or https URL'),
  entry(21623, 'content', 'Number of media files exceeds allowed limit (10 per message)'),
  entry(11200, 'content', 'HTTP retrieval failure: Twilio could not fetch a MediaUrl'),
  entry(63019, 'content', 'Media failed to download'),
]);

/** Failures tandem sees: a provider error code, an HTTP status, or no answer at all. */
export type Failure =
  | { kind: 'twilio_error'; code: number }
  | { kind: 'http'; provider: 'twilio' | 'blooio'; status: number }
  | { kind: 'timeout' }
  | { kind: 'network'; detail: string };

/** Unknown codes are retried as transient (bounded by the policy) and never blamed on the number. */
export function classifyTwilioCode(code: number): CarrierError {
  return (
    TWILIO_ERRORS.get(code) ?? {
      code,
      class: 'transient',
      reason: `Unclassified Twilio error ${code}`,
    }
  );
}

function classifyHttp(
  provider: 'twilio' | 'blooio',
  status: number,
): { class: ErrorClass; reason: string } {
  if (status === 429) return { class: 'transient', reason: `${provider} HTTP 429: rate limited` };
  if (status >= 500)
    return { class: 'transient', reason: `${provider} HTTP ${status}: server error` };
  if (status === 401 || status === 403) {
    return {
      class: 'account',
      reason: `${provider} HTTP ${status}: not authorised (credentials or from_number not owned)`,
    };
  }
  if (status === 408)
    return { class: 'transient', reason: `${provider} HTTP 408: request timeout` };
  return { class: 'account', reason: `${provider} HTTP ${status}: request rejected; not retried` };
}

export function classifyFailure(failure: Failure): { class: ErrorClass; reason: string } {
  switch (failure.kind) {
    case 'twilio_error': {
      const { class: errorClass, reason } = classifyTwilioCode(failure.code);
      return { class: errorClass, reason: `${failure.code}: ${reason}` };
    }
    case 'http':
      return classifyHttp(failure.provider, failure.status);
    case 'timeout':
      return { class: 'transient', reason: 'Request timed out' };
    case 'network':
      return { class: 'transient', reason: `Network error: ${failure.detail}` };
    default:
      return assertNever(failure, 'failure');
  }
}

/** Shaped like `campaigns.retry_policy`. Back-off doubles per attempt up to the cap. */
export interface RetryPolicy {
  max_attempts: number;
  backoff_seconds: number;
  max_backoff_seconds?: number;
}

export type RetryDecision =
  | {
      action: 'retry';
      delayMs: number;
      differentNumber: boolean;
      errorClass: ErrorClass;
      reason: string;
    }
  | { action: 'give_up'; errorClass: ErrorClass; reason: string };

function backoffMs(policy: RetryPolicy, attempt: number): number {
  const seconds = policy.backoff_seconds * 2 ** Math.max(0, attempt - 1);
  return Math.round(
    Math.min(seconds, policy.max_backoff_seconds ?? Number.POSITIVE_INFINITY) * 1000,
  );
}

/**
 * `attempt` is the number of attempts already made (1 after the first failure). Twilio
 * does not retry, so tandem does; a retry always leaves from a different number except
 * for Blooio, where the conversation's sticky line must stay the same.
 */
export function retryDecision(
  failure: Failure,
  attempt: number,
  policy: RetryPolicy,
): RetryDecision {
  const { class: errorClass, reason } = classifyFailure(failure);
  switch (errorClass) {
    case 'misconfigured_sender':
      // The number's fault, not the message's: it waits for another number of the pool, at
      // once and whatever the attempts, and shows why while none is left.
      return { action: 'retry', delayMs: 0, differentNumber: true, errorClass, reason };
    case 'transient':
    case 'sender': {
      if (attempt >= policy.max_attempts) {
        return {
          action: 'give_up',
          errorClass,
          reason: `${reason}; gave up after ${attempt} attempts`,
        };
      }
      const differentNumber = !(failure.kind === 'http' && failure.provider === 'blooio');
      return {
        action: 'retry',
        delayMs: backoffMs(policy, attempt),
        differentNumber,
        errorClass,
        reason,
      };
    }
    case 'permanent_recipient':
    case 'opted_out':
    case 'account':
    case 'content':
      return { action: 'give_up', errorClass, reason };
    default:
      return assertNever(errorClass, 'error class');
  }
}
