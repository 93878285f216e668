import { dominantWaitReason, WAIT_REASONS, type WaitReason } from './wait-reason.ts';

/** Messages waiting for one reason, and the earliest time one of them is tried again. */
export interface WaitingGroup {
  count: number;
  deferredUntil: Date | null;
}

export interface StallInput {
  /** The campaign's status: only a `running` campaign can be stalled. */
  status: string;
  /** Messages with no carrier message yet that still need one. */
  unsent: number;
  /** When a message of the campaign was last sent or ended, null before any was. */
  lastProgressAt: Date | null;
  launchedAt: Date | null;
  waiting: Readonly<Partial<Record<WaitReason, WaitingGroup>>>;
  now: Date;
  stallMs: number;
}

/**
 * Why a running campaign has made no progress, or null. `no_progress` means its unsent messages
 * carry no reason: nothing has looked at them (no worker running, for instance).
 */
export interface Stall {
  since: Date;
  reason: WaitReason | 'no_progress';
  waiting: number;
  deferredUntil: Date | null;
}

/**
 * A running campaign with unsent messages that has sent or ended none for `stallMs` (counted
 * from its launch when none ever was) is stalled, for the reason most of its messages wait.
 */
export function campaignStall(input: StallInput): Stall | null {
  if (input.status !== 'running' || input.unsent === 0) return null;
  const since = latest(input.lastProgressAt, input.launchedAt);
  if (since === null || input.now.getTime() - since.getTime() < input.stallMs) return null;
  const counts: Partial<Record<WaitReason, number>> = {};
  for (const reason of WAIT_REASONS) {
    const group = input.waiting[reason];
    if (group !== undefined) counts[reason] = group.count;
  }
  const reason = dominantWaitReason(counts);
  const group = reason === null ? undefined : input.waiting[reason];
  return {
    since,
    reason: reason ?? 'no_progress',
    waiting: group?.count ?? input.unsent,
    deferredUntil: group?.deferredUntil ?? null,
  };
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() >= b.getTime() ? a : b;
}
