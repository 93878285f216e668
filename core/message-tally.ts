import type { WaitingGroup } from './campaign-stall.ts';
import { inGroup, type MessageStatus } from './message-status.ts';
import { isWaitReason, type WaitReason } from './wait-reason.ts';

/**
 * A campaign's page shows a dozen figures of its messages (the broadcast's funnel, per-step
 * counts, why messages wait, whether it still progresses). They are all sums over one grouping
 * of the messages table: one scan of a campaign's rows, grouped by step and status (with the
 * skip and wait reasons, counting the rows the carrier has no message for), gives every figure here, so
 * a 100,000-message campaign is read once per page load instead of once per figure.
 */
export interface MessageGroup {
  step: number;
  status: MessageStatus;
  skipReason: string | null;
  waitReason: string | null;
  count: number;
  /** Rows of the group the carrier has no message for yet (`provider_sid` is not set). */
  withoutCarrier: number;
  /** Rows of the group tried more than once. */
  retried: number;
  /** The earliest `next_attempt_at` of the group's rows without a carrier message. */
  nextAttemptAt: Date | null;
  /** The latest `sent_at` or `final_at` of the group. */
  lastProgressAt: Date | null;
}

export interface StepCounts {
  step: number;
  targeted: number;
  pending: number;
  sent: number;
  delivered: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

/** The broadcast's (step 0) message figures of the funnel. */
export interface BroadcastCounts {
  targeted: number;
  skipped: number;
  skipped_reasons: Record<string, number>;
  queued: number;
  sending: number;
  unknown: number;
  sent: number;
  delivered: number;
  failed: number;
  retried: number;
  deferred: number;
  cancelled: number;
}

export type WaitingByReason = Partial<Record<WaitReason, WaitingGroup>>;

export interface MessageTally {
  broadcast: BroadcastCounts;
  /** Messages of the broadcast with no carrier message yet, by why they wait. */
  broadcastWaiting: WaitingByReason;
  /** The same over every step. */
  waiting: WaitingByReason;
  steps: StepCounts[];
  /** Messages (every step) with no carrier message yet that still need one. */
  unsent: number;
  lastProgressAt: Date | null;
}

const emptyBroadcast = (): BroadcastCounts => ({
  targeted: 0,
  skipped: 0,
  skipped_reasons: {},
  queued: 0,
  sending: 0,
  unknown: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  retried: 0,
  deferred: 0,
  cancelled: 0,
});

/** A step no message of has been planned yet. */
export const emptyStep = (step: number): StepCounts => ({
  step,
  targeted: 0,
  pending: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  skipped: 0,
  cancelled: 0,
});

const earlier = (a: Date | null, b: Date | null) =>
  a === null ? b : b === null ? a : a <= b ? a : b;
const later = (a: Date | null, b: Date | null) =>
  a === null ? b : b === null ? a : a >= b ? a : b;

function addBroadcast(counts: BroadcastCounts, group: MessageGroup): void {
  const n = group.count;
  counts.targeted += n;
  counts.retried += group.retried;
  if (inGroup(group.status, 'failed')) counts.failed += n;
  switch (group.status) {
    case 'skipped': {
      counts.skipped += n;
      // A skipped row always has its reason; String() keeps a missing one visible as 'null'.
      const reason = String(group.skipReason);
      counts.skipped_reasons[reason] = (counts.skipped_reasons[reason] ?? 0) + n;
      break;
    }
    case 'pending':
      counts.deferred += n;
      break;
    case 'queued':
    case 'sending':
    case 'unknown':
    case 'sent':
    case 'delivered':
    case 'cancelled':
      counts[group.status] += n;
      break;
    case 'failed':
    case 'undelivered':
      break;
  }
}

function addStep(counts: StepCounts, group: MessageGroup): void {
  const n = group.count;
  counts.targeted += n;
  if (inGroup(group.status, 'unresolved')) counts.pending += n;
  if (inGroup(group.status, 'awaitingCarrier')) counts.sent += n;
  if (inGroup(group.status, 'failed')) counts.failed += n;
  if (group.status === 'delivered') counts.delivered += n;
  if (group.status === 'skipped') counts.skipped += n;
  if (group.status === 'cancelled') counts.cancelled += n;
}

function addWaiting(waiting: WaitingByReason, reason: WaitReason, group: MessageGroup): void {
  const known = waiting[reason];
  waiting[reason] = {
    count: (known?.count ?? 0) + group.withoutCarrier,
    deferredUntil: earlier(known?.deferredUntil ?? null, group.nextAttemptAt),
  };
}

export function tallyMessages(groups: readonly MessageGroup[]): MessageTally {
  const broadcast = emptyBroadcast();
  const broadcastWaiting: WaitingByReason = {};
  const waiting: WaitingByReason = {};
  const steps = new Map<number, StepCounts>();
  let unsent = 0;
  let lastProgressAt: Date | null = null;
  for (const group of groups) {
    if (group.step === 0) addBroadcast(broadcast, group);
    let step = steps.get(group.step);
    if (step === undefined) steps.set(group.step, (step = emptyStep(group.step)));
    addStep(step, group);
    lastProgressAt = later(lastProgressAt, group.lastProgressAt);
    // Rows still to be sent: unresolved, and no carrier message yet.
    if (group.withoutCarrier === 0 || !inGroup(group.status, 'unresolved')) continue;
    unsent += group.withoutCarrier;
    if (group.waitReason === null || !isWaitReason(group.waitReason)) continue;
    addWaiting(waiting, group.waitReason, group);
    if (group.step === 0) addWaiting(broadcastWaiting, group.waitReason, group);
  }
  return {
    broadcast,
    broadcastWaiting,
    waiting,
    steps: [...steps.values()].sort((a, b) => a.step - b.step),
    unsent,
    lastProgressAt,
  };
}
