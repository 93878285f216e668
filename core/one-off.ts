import type { RetryPolicy } from './carrier-errors.ts';
import { assertNever } from './assert-never.ts';
import type { MessageStatus } from './message-status.ts';
import type { SelectionReason } from './sender-selection.ts';

/**
 * One-off sends through a pool (`POST /v1/messages`, the Telnyx / Blooio "send to the pool"
 * contract): message rows with no campaign, sent by one long-lived `OneOffSendWorkflow` per
 * pool through the campaigns' send pipeline. What the API and the workflow share lives here.
 */

/** The sender workflow of a pool's one-off sends: one per pool, woken by every new send. */
export const oneOffWorkflowId = (poolId: string) => `one-off-sends-${poolId}`;

export interface OneOffSendInput {
  poolId: string;
  /** Concurrent send activities when many one-offs are due at once. */
  window: number;
  batchSize: number;
  /** How often statuses and deferred sends are looked at while any are outstanding. */
  checkIntervalSeconds: number;
  /** With nothing outstanding and no new send for this long, the workflow ends. */
  idleSeconds: number;
}

/** The retry policy of a one-off that names none: as a campaign's default. */
export const DEFAULT_ONE_OFF_RETRY_POLICY: RetryPolicy = { max_attempts: 3, backoff_seconds: 60 };

/** Twilio takes up to 10 `MediaUrl` per message (error 21623 beyond). */
export const MAX_MEDIA_URLS = 10;

/** Why a media URL cannot be sent (Twilio refuses anything but http and https: 21620). */
export function mediaUrlProblem(url: string): string | null {
  if (!URL.canParse(url)) return `${url} is not a URL`;
  const { protocol } = new URL(url);
  return protocol === 'http:' || protocol === 'https:'
    ? null
    : `${url} uses ${protocol.slice(0, -1)}: media URLs must be http or https`;
}

/**
 * Why the pool chose a one-off's sender, as the API says it: `sticky` (the number that texted
 * them before), `geomatch_area_code` / `geomatch_region` (a local number), `weighted` (the
 * pool's weighted rotation), `explicit` (the caller's `from_number`).
 */
export type SenderReason =
  'sticky' | 'geomatch_area_code' | 'geomatch_region' | 'weighted' | 'explicit';

export function senderReasonOf(reason: SelectionReason): SenderReason {
  switch (reason) {
    case 'sticky':
    case 'explicit':
      return reason;
    case 'area_code':
      return 'geomatch_area_code';
    case 'region':
      return 'geomatch_region';
    case 'any':
      return 'weighted';
    default:
      return assertNever(reason, 'selection reason');
  }
}

/**
 * A message's status as the API shows it: its lifecycle status, except that a message not yet
 * sent that waits for a later time (the recipient's sending window, a retry) is `scheduled`.
 */
export function shownStatus(
  status: MessageStatus,
  nextAttemptAt: Date | null,
  waitReason: string | null,
  now: Date,
): MessageStatus | 'scheduled' {
  const waiting =
    status === 'pending' &&
    waitReason !== null &&
    nextAttemptAt !== null &&
    nextAttemptAt.getTime() > now.getTime();
  return waiting ? 'scheduled' : status;
}
