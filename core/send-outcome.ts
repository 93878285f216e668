import {
  classifyTwilioCode,
  retryDecision,
  type Failure,
  type RetryPolicy,
} from './carrier-errors.ts';
import { fromTwilioStatus, isTwilioStatus, type MessageStatus } from './message-status.ts';
import { failureWaitReason, type WaitReason } from './wait-reason.ts';

/**
 * What one request to the carrier came to. Only an answer proves anything: a refusal (4xx
 * with an error) proves nothing was created; a timeout, a reset connection or a 5xx after
 * the request left may hide a created message (`ambiguous`). A request that could not even
 * connect never left tandem (`not_sent`).
 */
export type SendAnswer =
  | { kind: 'accepted'; sid: string; carrierStatus: string }
  | { kind: 'refused'; failure: Failure; carrierMessage?: string }
  | { kind: 'ambiguous'; failure: Failure }
  | { kind: 'not_sent'; failure: Failure };

/** Errors that mean the request never reached the carrier's server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** A transport error (no HTTP answer) by its Node error code and message. */
export function transportAnswer(code: string | undefined, detail: string): SendAnswer {
  if (code !== undefined && NOT_SENT_CODES.has(code))
    return { kind: 'not_sent', failure: { kind: 'network', detail } };
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timed? ?out|timeout/i.test(detail))
    return { kind: 'ambiguous', failure: { kind: 'timeout' } };
  return { kind: 'ambiguous', failure: { kind: 'network', detail } };
}

/** An HTTP answer with an error: 5xx is ambiguous (the carrier may have created it first). */
export function httpErrorAnswer(
  httpStatus: number | null,
  code: number | null,
  carrierMessage?: string,
): SendAnswer {
  if (httpStatus !== null && httpStatus >= 500)
    return { kind: 'ambiguous', failure: { kind: 'http', provider: 'twilio', status: httpStatus } };
  if (code !== null)
    return {
      kind: 'refused',
      failure: { kind: 'twilio_error', code },
      ...(carrierMessage === undefined ? {} : { carrierMessage }),
    };
  return {
    kind: 'refused',
    failure: { kind: 'http', provider: 'twilio', status: httpStatus ?? 400 },
  };
}

/** The error code stored for a failure: Twilio's code, else the HTTP status, else none. */
export function failureCode(failure: Failure): number | null {
  if (failure.kind === 'twilio_error') return failure.code;
  if (failure.kind === 'http') return failure.status;
  return null;
}

/** The failure an ambiguous attempt stands for, rebuilt from its stored error code. */
export function ambiguousFailure(errorCode: number | null): Failure {
  return errorCode !== null && errorCode >= 500
    ? { kind: 'http', provider: 'twilio', status: errorCode }
    : { kind: 'timeout' };
}

/** How a claimed row changes once its send is answered (or not). */
export interface Settlement {
  status: MessageStatus;
  sid: string | null;
  errorCode: number | null;
  /** When the row is next due: a retry, or asking the carrier about an ambiguous send. */
  nextAttemptAt: Date | null;
  final: boolean;
  /** The request left tandem: it is an attempt (`messages.attempts` grows, one attempt row). */
  attempted: boolean;
  /** The attempt row's status. */
  attemptStatus: string;
  /** Why the row waits until `nextAttemptAt` (null when it does not wait). */
  waitReason: WaitReason | null;
  /** The carrier refused the sending number itself: it is to be marked `misconfigured`. */
  misconfiguredSender: { errorCode: number; reason: string } | null;
  /**
   * The carrier refused the recipient as unsubscribed (21610: they said STOP, perhaps to the
   * carrier's own opt-out handling, which never told tandem): they are to be opted out
   * everywhere, with the carrier's code and words as the record's detail.
   */
  carrierOptOut: { errorCode: number; detail: string } | null;
}

export interface SettleOptions {
  /** Attempts made before this one. */
  attemptsBefore: number;
  policy: RetryPolicy;
  now: Date;
  /** How long to wait before asking the carrier whether an ambiguous send was created. */
  resolveAfterMs: number;
}

export function settle(answer: SendAnswer, options: SettleOptions): Settlement {
  const { now } = options;
  switch (answer.kind) {
    case 'accepted': {
      const status = acceptedStatus(answer.carrierStatus);
      return {
        status,
        sid: answer.sid,
        errorCode: null,
        nextAttemptAt: null,
        final: false,
        attempted: true,
        attemptStatus: status,
        waitReason: null,
        misconfiguredSender: null,
        carrierOptOut: null,
      };
    }
    case 'ambiguous':
      return {
        status: 'unknown',
        sid: null,
        errorCode: failureCode(answer.failure),
        nextAttemptAt: new Date(now.getTime() + options.resolveAfterMs),
        final: false,
        attempted: true,
        attemptStatus: 'unknown',
        waitReason: 'carrier_unknown_outcome',
        misconfiguredSender: null,
        carrierOptOut: null,
      };
    case 'not_sent': {
      // Not an attempt: nothing reached the carrier. Wait the policy's first back-off.
      const delayMs = options.policy.backoff_seconds * 1000;
      return {
        status: 'pending',
        sid: null,
        errorCode: null,
        nextAttemptAt: new Date(now.getTime() + delayMs),
        final: false,
        attempted: false,
        attemptStatus: 'not_sent',
        waitReason: 'carrier_unreachable',
        misconfiguredSender: null,
        carrierOptOut: null,
      };
    }
    case 'refused':
      return afterFailure(
        answer.failure,
        options.attemptsBefore + 1,
        options.policy,
        now,
        true,
        answer.carrierMessage,
      );
  }
}

/**
 * A send proven not to have reached anyone (a refusal, or an ambiguous one the carrier has
 * no trace of): retried later from another number, or given up.
 */
export function afterFailure(
  failure: Failure,
  attempts: number,
  policy: RetryPolicy,
  now: Date,
  attempted: boolean,
  carrierMessage?: string,
): Settlement {
  const decision = retryDecision(failure, attempts, policy);
  const errorCode = failureCode(failure);
  const carrierReason = (code: number) => carrierMessage ?? classifyTwilioCode(code).reason;
  const misconfiguredSender =
    decision.errorClass === 'misconfigured_sender' && errorCode !== null
      ? { errorCode, reason: carrierReason(errorCode) }
      : null;
  const carrierOptOut =
    decision.errorClass === 'opted_out' && errorCode !== null
      ? { errorCode, detail: carrierOptOutDetail(errorCode, carrierMessage) }
      : null;
  if (decision.action === 'retry') {
    return {
      status: 'pending',
      sid: null,
      errorCode,
      nextAttemptAt: new Date(now.getTime() + decision.delayMs),
      final: false,
      attempted,
      attemptStatus: 'failed',
      waitReason: failureWaitReason(failure),
      misconfiguredSender,
      carrierOptOut,
    };
  }
  return {
    status: 'failed',
    sid: null,
    errorCode,
    nextAttemptAt: null,
    final: true,
    attempted,
    attemptStatus: 'failed',
    waitReason: null,
    misconfiguredSender,
    carrierOptOut,
  };
}

/** The consent record's detail for a carrier opt-out: its code and its own words. */
export function carrierOptOutDetail(errorCode: number, carrierMessage?: string | null): string {
  return `${errorCode}: ${carrierMessage ?? classifyTwilioCode(errorCode).reason}`;
}

/**
 * The stored status of a message the carrier accepted, from the status it answered with. A
 * final status is not taken from here: it arrives as a status event, which runs the retry and
 * health rules (applying `failed` over a stored `failed` would be ignored as a duplicate).
 */
export function acceptedStatus(carrierStatus: string): MessageStatus {
  const status = isTwilioStatus(carrierStatus) ? fromTwilioStatus(carrierStatus) : null;
  return status === 'sent' ? 'sent' : 'queued';
}
