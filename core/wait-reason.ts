import { assertNever } from './assert-never.ts';
import { classifyFailure, type Failure } from './carrier-errors.ts';

/**
 * Why a message with no carrier message yet is waiting, stored with it (`messages.wait_reason`)
 * beside the time it is next tried (`next_attempt_at`, shown as `deferred_until`):
 * - quiet_hours: outside the recipient's sending window (the campaign's, within the legal floor);
 * - legal_holiday: the wait spans a legal holiday of the recipient's state, on which its law
 *   forbids marketing messages (which one: `messages.wait_detail`);
 * - sunday_ban: the wait spans a Sunday, on which the recipient's state forbids them;
 * - no_sender: no number of the pool can take it now (cooling, at its cap, excluded, none);
 * - number_misconfigured: the carrier refused its number as not owned, not SMS-capable or not a
 *   valid From, and no other number of the pool could take it yet;
 * - rate_limited: the carrier answered 429 / 20429;
 * - retry_backoff: a failed attempt, retried after the policy's back-off;
 * - carrier_unreachable: the request could not reach the carrier;
 * - carrier_unknown_outcome: the answer was lost; the carrier is asked before anything is sent;
 * - frequency_cap: the contact had the campaign's most texts (any campaign) in its rolling
 *   window; tried again when the oldest counted one leaves it (core/frequency-cap.ts).
 */
export const WAIT_REASONS = [
  'quiet_hours',
  'legal_holiday',
  'sunday_ban',
  'no_sender',
  'number_misconfigured',
  'rate_limited',
  'retry_backoff',
  'carrier_unreachable',
  'carrier_unknown_outcome',
  'frequency_cap',
] as const;

export type WaitReason = (typeof WAIT_REASONS)[number];

/** Why a message waits after a failed request (refused, or proven never created). */
export function failureWaitReason(failure: Failure): WaitReason {
  if (failure.kind === 'http' && failure.status === 429) return 'rate_limited';
  if (failure.kind === 'twilio_error' && failure.code === 20429) return 'rate_limited';
  if (failure.kind === 'network') return 'carrier_unreachable';
  const { class: errorClass } = classifyFailure(failure);
  switch (errorClass) {
    case 'misconfigured_sender':
      return 'number_misconfigured';
    case 'transient':
    case 'sender':
    case 'permanent_recipient':
    case 'opted_out':
    case 'account':
    case 'content':
      return 'retry_backoff';
    default:
      return assertNever(errorClass, 'error class');
  }
}

/** Selection errors (core/sender-selection-errors.ts) that mean every number left is misconfigured. */
export function noSenderWaitReason(selectionCode: string): WaitReason {
  return selectionCode === 'all_misconfigured' ? 'number_misconfigured' : 'no_sender';
}

/** The dominant reason among waiting messages: the most of them, ties broken by list order. */
export function dominantWaitReason(
  counts: Readonly<Partial<Record<WaitReason, number>>>,
): WaitReason | null {
  let best: WaitReason | null = null;
  for (const reason of WAIT_REASONS) {
    const n = counts[reason] ?? 0;
    if (n > 0 && (best === null || n > (counts[best] ?? 0))) best = reason;
  }
  return best;
}

export function isWaitReason(value: string): value is WaitReason {
  return (WAIT_REASONS as readonly string[]).includes(value);
}
