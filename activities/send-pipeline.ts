import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { ApplicationFailure } from '@temporalio/common';
import { leaseUntil } from '../core/claim-lease.ts';
import type { SendableMessage } from '../db/messages.ts';
import { applyPendingEventsFor } from '../db/status-events.ts';
import {
  claimRows,
  markDeferred,
  markSkipped,
  numberRates,
  releaseClaims,
  type Claim,
  type Deferral,
} from '../db/message-writes.ts';
import { markMisconfigured } from '../db/number-transitions.ts';
import { noSenderWaitReason } from '../core/wait-reason.ts';
import { senderReasonOf } from '../core/one-off.ts';
import { reserveSenders, type SenderGrant, type SenderRequest } from '../db/sender-reservations.ts';
import type { BatchOutcome } from '../core/campaign-contracts.ts';
import { emptyOutcome } from '../core/campaign-contracts.ts';
import { claimUnderCap, deferOverCap } from './frequency-cap.ts';
import { cancellationSignal, heartbeat } from './heartbeat.ts';
import { reconcileSending, rowState } from './reconcile.ts';
import { withFollowupNumbers } from './followup-lines.ts';
import { dispatchClaims, type ClaimedSend } from './send-dispatch.ts';
import type { SendContext } from './send-context.ts';
import { triage, type Prepared } from './send-triage.ts';

/** Heartbeats on a timer: a sender waiting on a slow carrier must not look dead. */
const HEARTBEAT_MS = 1_000;

/**
 * Sends a set of rows exactly once each: rows whose last send may have reached the carrier
 * are resolved with it first; opted-out, suppressed and quiet-hour rows are skipped or
 * deferred, and so are contacts at the campaign's frequency cap; the rest are claimed with a
 * token of this run, get a sender slot, and go to the carrier.
 */
export async function sendRows(
  context: SendContext,
  rows: readonly SendableMessage[],
): Promise<BatchOutcome> {
  const progress = { stage: 'starting', settled: 0 };
  const beat = setInterval(() => heartbeat(progress), HEARTBEAT_MS);
  try {
    return await sendEach(context, rows, progress);
  } finally {
    clearInterval(beat);
    context.stopInterruptionChecks();
  }
}

async function sendEach(
  context: SendContext,
  rows: readonly SendableMessage[],
  progress: { stage: string; settled: number },
): Promise<BatchOutcome> {
  const { db } = context;
  const outcome = emptyOutcome();
  outcome.considered = rows.length;
  const signal = cancellationSignal();
  // Every concurrent sender waits on this one signal (sleepUntil adds a listener per wait).
  setMaxListeners(context.concurrency + 8, signal);
  progress.stage = 'reconciling';
  const reconciled = await reconcileSending(context, rows, outcome);

  const now = context.now();
  const unresolved =
    context.followupLines == null
      ? reconciled
      : await withFollowupNumbers(
          db,
          { ...context.followupLines, health: context.health, now },
          reconciled,
        );
  const triaged = triage(unresolved, context.policy, context.content, now);
  const { deferrals, skips } = triaged;
  await markSkipped(
    db,
    skips.map(({ row, reason }) => ({ row: rowState(row), reason })),
  );
  await markDeferred(
    db,
    deferrals.map(({ row, at, reason, detail }) => ({ row: rowState(row), at, reason, detail })),
  );
  outcome.skipped += skips.length;
  outcome.deferred += deferrals.length;
  const cap = context.frequencyCap ?? null;
  const ready =
    cap === null
      ? triaged.ready
      : await deferOverCap(db, triaged.ready, (prepared) => prepared.row, cap, now);
  outcome.deferred += triaged.ready.length - ready.length;
  if (ready.length === 0) return outcome;

  progress.stage = 'claiming';
  const { claims, blocked } = await grantSenders(context, ready, now);
  await markDeferred(db, blocked);
  outcome.deferred += blocked.length;
  const token = randomUUID();
  const toClaim = (claim: ClaimedSend): Claim => ({
    row: rowState(claim.prepared.row),
    numberId: claim.numberId,
    fromPhone: claim.fromPhone,
    body: claim.prepared.body,
    segments: claim.prepared.segments,
    mediaUrls: claim.prepared.mediaUrls,
    senderReason: claim.senderReason ?? null,
    leaseUntil: claim.leaseUntil,
  });
  let claimed: Set<string>;
  if (cap === null) claimed = await claimRows(db, token, claims.map(toClaim));
  else {
    // Their slots go unused: another campaign claimed the contact since the first look.
    const underCap = await claimUnderCap(
      db,
      token,
      claims.map((claim) => ({ claim: toClaim(claim), row: claim.prepared.row })),
      cap,
      context.now,
    );
    claimed = underCap.claimed;
    outcome.deferred += underCap.capped;
  }
  const mine = claims.filter((claim) => claimed.has(claim.prepared.row.id));

  progress.stage = 'sending';
  const rateById = await numberRates(
    db,
    mine.map((claim) => claim.numberId),
  );
  const result = await dispatchClaims(context, token, mine, rateById, signal);
  progress.settled = result.settled.length;
  await markMisconfigured(
    db,
    result.settled.flatMap(({ numberId, settlement }) =>
      settlement.misconfiguredSender === null
        ? []
        : [{ numberId, ...settlement.misconfiguredSender }],
    ),
    context.now(),
  );
  // Never sent (pause, cancel, superseded): due again at once, and not an attempt.
  await releaseClaims(db, token, result.undispatched);
  // Opted out while waiting for their slot: skipped like any opted-out row, under our claim.
  await markSkipped(
    db,
    result.optedOut.map((id) => ({
      row: { id, status: 'sending', claimToken: token },
      reason: 'opted_out',
    })),
  );
  outcome.skipped += result.optedOut.length;
  if (await context.interrupted()) {
    // Not an outcome: the workflow runs this batch again after a resume (sent rows are skipped).
    throw ApplicationFailure.retryable(
      'The campaign was paused or cancelled mid-batch',
      'CampaignInterrupted',
    );
  }
  if (signal.aborted) {
    // Temporal cancelled this attempt (it timed out, or the workflow moved on): its rows that
    // never left were released above; a newer attempt, if any, takes them.
    throw ApplicationFailure.retryable(
      'This attempt of the batch was cancelled before every row was sent',
      'AttemptCancelled',
    );
  }
  const sids: string[] = [];
  for (const { settlement } of result.settled) {
    if (settlement.sid !== null) {
      outcome.sent += 1;
      sids.push(settlement.sid);
    } else if (settlement.status === 'failed') outcome.failed += 1;
    else outcome.retryScheduled += 1;
  }
  await applyPendingEventsFor(db, sids, context.health, context.onStatusApplied);
  return outcome;
}

/**
 * A sender number and slot for each ready row; rows with no healthy sender now are blocked.
 * A row given its sender and slot when it was accepted (a one-off) is claimed with them; a row
 * whose caller required a `from_number` leaves from it on every attempt.
 */
async function grantSenders(
  context: SendContext,
  ready: readonly Prepared[],
  now: Date,
): Promise<{ claims: ClaimedSend[]; blocked: Deferral[] }> {
  const claims: ClaimedSend[] = [];
  const toReserve: Prepared[] = [];
  for (const prepared of ready) {
    const { row } = prepared;
    if (row.slot_at !== null && row.from_number_id !== null && row.from_phone !== null) {
      claims.push({
        prepared,
        numberId: row.from_number_id,
        fromPhone: row.from_phone,
        sendAt: row.slot_at,
        leaseUntil: leaseUntil(
          new Date(Math.max(row.slot_at.getTime(), now.getTime())),
          context.requestTimeoutMs,
        ),
      });
    } else toReserve.push(prepared);
  }
  const requests: SenderRequest[] = toReserve.map(({ row, segments, mediaUrls }) => ({
    contactId: row.contact_id,
    toPhone: row.to_phone,
    areaCode: row.area_code,
    region: row.region,
    segments,
    media: mediaUrls.length > 0,
    ...(row.requested_from === null
      ? { excludeNumberIds: row.used_number_ids }
      : { fromNumber: row.requested_from }),
  }));
  const grants = await reserveSenders(context.db, context.poolId, requests, now, {
    rateHeadroom: context.rateHeadroom,
    health: context.health,
  });
  const byContact = new Map(grants.map((grant) => [grant.contactId, grant]));
  const blocked: Deferral[] = [];
  for (const prepared of toReserve) {
    const grant: SenderGrant | undefined = byContact.get(prepared.row.contact_id);
    if (grant?.ok === true) {
      claims.push({
        prepared,
        numberId: grant.numberId,
        fromPhone: grant.fromPhone,
        sendAt: grant.sendAt,
        leaseUntil: leaseUntil(grant.sendAt, context.requestTimeoutMs),
        senderReason: senderReasonOf(grant.reason),
      });
    } else {
      // No healthy sender right now: try again after the back-off rather than use a bad number.
      blocked.push({
        row: rowState(prepared.row),
        at: new Date(
          now.getTime() + (prepared.row.retry_policy ?? context.retryPolicy).backoff_seconds * 1000,
        ),
        reason: grant === undefined ? 'no_sender' : noSenderWaitReason(grant.code),
      });
    }
  }
  return { claims, blocked };
}
