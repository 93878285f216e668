import { assertNever } from './assert-never.ts';

/**
 * The `messages.status` column. `skipped` rows were never sent; `cancelled` ones were never
 * sent either: the campaign was cancelled first. `sending`: claimed by a
 * sender, which may still be talking to the carrier until the row's lease ends. `unknown`: a
 * request left tandem and its answer was lost (timeout, reset connection, 5xx): the carrier
 * may have created the message, so it is asked before anything is sent again.
 */
export type MessageStatus =
  | 'pending'
  | 'sending'
  | 'unknown'
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'skipped'
  | 'cancelled';

export const MESSAGE_STATUSES = [
  'pending',
  'sending',
  'unknown',
  'queued',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'skipped',
  'cancelled',
] as const satisfies readonly MessageStatus[];

/**
 * The groups of statuses every rule is written in; nothing else lists statuses (db/ turns
 * these into SQL with db/status-sql.ts). Adding a status means placing it here and in RANK.
 */
export const STATUS_GROUPS = {
  /** No carrier message yet and work to do: send it, ask the carrier about it, or wait out a claim's lease. */
  unresolved: ['pending', 'sending', 'unknown'],
  /** At the carrier, its final status not known yet. */
  awaitingCarrier: ['queued', 'sent'],
  /** The carrier took it, whatever became of it. */
  reachedCarrier: ['queued', 'sent', 'delivered', 'undelivered', 'failed'],
  /** The carrier took it and it has not failed (yet). */
  accepted: ['queued', 'sent', 'delivered'],
  /** Ended without reaching the handset. */
  failed: ['failed', 'undelivered'],
  /** Nothing changes these any more (but a late `delivered` receipt upgrading a failure). */
  final: ['delivered', 'undelivered', 'failed', 'skipped', 'cancelled'],
} as const satisfies Record<string, readonly MessageStatus[]>;

export type StatusGroup = keyof typeof STATUS_GROUPS;

/** Statuses of a row with no carrier message yet that still needs work (send, resolve). */
export const UNRESOLVED_STATUSES = STATUS_GROUPS.unresolved;

export function inGroup(status: MessageStatus, group: StatusGroup): boolean {
  return (STATUS_GROUPS[group] as readonly MessageStatus[]).includes(status);
}

/** May a sender claim a row in this status (it has no carrier message and is not final)? */
export function claimable(status: MessageStatus): boolean {
  return inGroup(status, 'unresolved');
}

export type TwilioStatus =
  | 'accepted'
  | 'scheduled'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'receiving'
  | 'received'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'read'
  | 'canceled'
  | 'partially_delivered';

/** Blooio `message.status` values; Twilio-backed Blooio keys also report `sending`. */
export type BlooioStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';

/**
 * Total order used to apply callbacks monotonically: a status only replaces one of lower
 * rank, so the stored status is the maximum of everything received, whatever the arrival
 * order. Among the final states, `failed` (Twilio could not send) ranks lowest;
 * `undelivered` may be followed by a late `delivered` receipt, and a handset's receipt is
 * the stronger evidence, so `delivered` ranks highest. `skipped` and `cancelled` are outside
 * the ladder: such a row never reached a carrier and nothing overwrites it.
 */
const RANK: Record<Exclude<MessageStatus, 'skipped' | 'cancelled'>, number> = {
  pending: 0,
  sending: 1,
  unknown: 2,
  queued: 3,
  sent: 4,
  failed: 5,
  undelivered: 6,
  delivered: 7,
};

export const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set(STATUS_GROUPS.final);

export function isFinal(status: MessageStatus): boolean {
  return FINAL_STATUSES.has(status);
}

export function statusRank(status: MessageStatus): number {
  return status === 'skipped' || status === 'cancelled' ? Number.POSITIVE_INFINITY : RANK[status];
}

/** The status to store, or 'ignore' when `incoming` is stale, a duplicate or a regression. */
export function applyStatus(
  current: MessageStatus,
  incoming: MessageStatus,
): MessageStatus | 'ignore' {
  if (current === 'skipped' || current === 'cancelled') return 'ignore';
  if (incoming === 'skipped' || incoming === 'cancelled') return 'ignore';
  return RANK[incoming] > RANK[current] ? incoming : 'ignore';
}

/**
 * Twilio → stored status; null for inbound-only statuses. `sending` (handed to the
 * carrier, not yet acknowledged) is still queued from tandem's view; `read` implies
 * delivered; `canceled` (a scheduled message cancelled before sending) is a failure;
 * `partially_delivered` (some parts not confirmed) is treated as undelivered so it can
 * still be upgraded by a later `delivered`.
 */
export function fromTwilioStatus(status: TwilioStatus): MessageStatus | null {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
      return 'queued';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
    case 'partially_delivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    case 'receiving':
    case 'received':
      return null;
    default:
      return assertNever(status, 'Twilio status');
  }
}

/**
 * Whether a Twilio status callback can tell tandem anything about a message it sent. The
 * create answer already made the message `queued`, so `accepted`, `scheduled`, `queued` and
 * `sending` add nothing (applied, they would be ignored as no rise in rank); `receiving` and
 * `received` belong to inbound messages. A status Twilio may add later is kept.
 */
export function isNewsOfSentMessage(status: string): boolean {
  if (!isTwilioStatus(status)) return true;
  const stored = fromTwilioStatus(status);
  return stored !== null && statusRank(stored) > statusRank('queued');
}

export function fromBlooioStatus(status: BlooioStatus): MessageStatus {
  switch (status) {
    case 'queued':
    case 'sending':
      return 'queued';
    case 'sent':
      return 'sent';
    case 'delivered':
      return 'delivered';
    case 'failed':
      return 'failed';
    default:
      return assertNever(status, 'Blooio status');
  }
}

/** Every status Twilio reports for a message. */
export const TWILIO_STATUSES = [
  'accepted',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'receiving',
  'received',
  'delivered',
  'undelivered',
  'failed',
  'read',
  'canceled',
  'partially_delivered',
] as const satisfies readonly TwilioStatus[];
const TWILIO_STATUS_SET: ReadonlySet<string> = new Set(TWILIO_STATUSES);
const BLOOIO_STATUSES: ReadonlySet<string> = new Set<BlooioStatus>([
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
]);

export function isTwilioStatus(value: string): value is TwilioStatus {
  return TWILIO_STATUS_SET.has(value);
}

export function isBlooioStatus(value: string): value is BlooioStatus {
  return BLOOIO_STATUSES.has(value);
}
