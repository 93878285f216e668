import { setMaxListeners } from 'node:events';
import { ApplicationFailure } from '@temporalio/common';
import { retryDecision, type Failure, type RetryPolicy } from '../core/carrier-errors.ts';
import { countSegments } from '../core/segments.ts';
import type { Db } from '../db/connect.ts';
import type { HealthSettings } from '../db/health-settings.ts';
import type { SendableMessage } from '../db/messages.ts';
import { applyPendingEventsFor } from '../db/status-events.ts';
import {
  markDeferred,
  markSending,
  markSkipped,
  numberRates,
  recordSettled,
} from '../db/message-writes.ts';
import { reserveSenders, type SenderGrant, type SenderRequest } from '../db/sender-reservations.ts';
import { reserveSlots } from '../db/sender-slots.ts';
import type { BatchOutcome } from '../workflows/campaign-types.ts';
import { emptyOutcome } from '../workflows/campaign-types.ts';
import { SmsSendError, type SmsCarrier } from './carriers/sms.ts';
import { cancellationSignal, heartbeat, sleepUntil as defaultSleepUntil } from './heartbeat.ts';
import { pacerLimits, processPacer } from './number-pacer.ts';
import { reconcileSending } from './reconcile.ts';
import type { SendPolicy } from './send-policy.ts';

export interface SendContext {
  db: Db;
  sms: SmsCarrier;
  now: () => Date;
  poolId: string;
  template: string;
  policy: SendPolicy;
  retryPolicy: RetryPolicy;
  statusCallback: string;
  concurrency: number;
  rateHeadroom: number;
  health: HealthSettings;
  /** True once the campaign was paused or cancelled: stop before the next send. */
  interrupted: () => Promise<boolean>;
  /** The last known answer of `interrupted`, without waiting. */
  interruptedNow: () => boolean;
  /** Ends the background interruption checks (called when `sendRows` returns). */
  stopInterruptionChecks: () => void;
  sleepUntil?: (at: Date, signal: AbortSignal) => Promise<void>;
}

interface Prepared {
  row: SendableMessage;
  body: string;
  segments: number;
}

interface Settled {
  messageId: string;
  attempt: number;
  numberId: string;
  sid: string | null;
  status: string;
  errorCode: number | null;
  retryAt: Date | null;
  final: boolean;
}

/**
 * Sends a set of rows exactly once each: rows left in `sending` are reconciled with the
 * carrier first; opted-out and quiet-hour rows are skipped or deferred; the rest get a
 * sender slot, are marked `sending`, wait for their slot, and go to the carrier.
 */
export async function sendRows(
  context: SendContext,
  rows: readonly SendableMessage[],
): Promise<BatchOutcome> {
  try {
    return await sendEach(context, rows);
  } finally {
    context.stopInterruptionChecks();
  }
}

async function sendEach(
  context: SendContext,
  rows: readonly SendableMessage[],
): Promise<BatchOutcome> {
  const outcome = emptyOutcome();
  outcome.considered = rows.length;
  const signal = cancellationSignal();
  // Every concurrent sender waits on this one signal (sleepUntil adds a listener per wait).
  setMaxListeners(context.concurrency + 8, signal);
  const unresolved = await reconcileSending(context, rows, outcome);

  const ready: Prepared[] = [];
  const deferrals: { id: string; at: Date }[] = [];
  const skips: { id: string; reason: string }[] = [];
  const now = context.now();
  for (const row of unresolved) {
    if (row.opted_out) {
      skips.push({ id: row.id, reason: 'opted_out' });
      continue;
    }
    const window = context.policy.window(row, now);
    if (!window.open) {
      deferrals.push({ id: row.id, at: window.opensAt });
      continue;
    }
    const rendered = context.policy.render(context.template, row.attributes);
    if (!rendered.ok) {
      skips.push({ id: row.id, reason: `template: ${rendered.message}` });
      continue;
    }
    ready.push({ row, body: rendered.text, segments: countSegments(rendered.text).segments });
  }
  await markSkipped(context.db, skips);
  await markDeferred(context.db, deferrals);
  outcome.skipped += skips.length;
  outcome.deferred += deferrals.length;
  if (ready.length === 0) return outcome;

  const requests: SenderRequest[] = ready.map(({ row, segments }) => ({
    contactId: row.contact_id,
    toPhone: row.to_phone,
    areaCode: row.area_code,
    region: row.region,
    segments,
    excludeNumberIds: row.used_number_ids,
  }));
  const grants = await reserveSenders(context.db, context.poolId, requests, now, {
    rateHeadroom: context.rateHeadroom,
    health: context.health,
  });
  const byContact = new Map(grants.map((grant) => [grant.contactId, grant]));
  const sendable: { prepared: Prepared; grant: Extract<SenderGrant, { ok: true }> }[] = [];
  const blocked: { id: string; at: Date }[] = [];
  for (const prepared of ready) {
    const grant = byContact.get(prepared.row.contact_id);
    if (grant?.ok === true) sendable.push({ prepared, grant });
    // No healthy sender right now: try again after the back-off rather than use a bad number.
    else
      blocked.push({
        id: prepared.row.id,
        at: new Date(now.getTime() + context.retryPolicy.backoff_seconds * 1000),
      });
  }
  await markDeferred(context.db, blocked);
  outcome.deferred += blocked.length;
  await markSending(
    context.db,
    sendable.map(({ prepared, grant }) => ({
      id: prepared.row.id,
      numberId: grant.numberId,
      fromPhone: grant.fromPhone,
      body: prepared.body,
      segments: prepared.segments,
    })),
  );

  const mpsById = await numberRates(
    context.db,
    sendable.map((item) => item.grant.numberId),
  );
  const limitsOf = (item: (typeof sendable)[number]) =>
    pacerLimits(
      mpsById.get(item.grant.numberId) ?? 1,
      item.prepared.segments,
      context.rateHeadroom,
    );
  const settled: Settled[] = [];
  const wait = context.sleepUntil ?? defaultSleepUntil;
  sendable.sort((a, b) => a.grant.sendAt.getTime() - b.grant.sendAt.getTime());
  let next = 0;
  const flushEvery = 100;
  const pendingFlush: Settled[] = [];
  const flush = async () => {
    const chunk = pendingFlush.splice(0, pendingFlush.length);
    if (chunk.length > 0) await recordSettled(context.db, chunk);
    heartbeat({ settled: settled.length });
  };
  const worker = async () => {
    for (;;) {
      const item = sendable[next++];
      if (item === undefined) return;
      if (signal.aborted || (await context.interrupted())) return;
      const limits = limitsOf(item);
      for (let sendAt = item.grant.sendAt; ;) {
        if (!(await waitForSlot(context, wait, sendAt, signal))) return;
        await wait(sendAt, signal).catch(() => undefined);
        // The pacer's last answer and the dispatch below happen in one tick: an await in
        // between would let every sender woken by the same answer dispatch at once.
        for (;;) {
          const decision = processPacer.next(item.grant.numberId, Date.now(), limits);
          if ('answer' in decision) await decision.answer;
          else if (decision.waitMs > 0)
            await wait(new Date(Date.now() + decision.waitMs), signal).catch(() => undefined);
          else break;
          if (signal.aborted) return;
        }
        if (signal.aborted || context.interruptedNow()) return;
        // A slot missed by more than its length (a stall here or at the carrier) is not caught
        // up: other processes keep sending on this number at its full rate, so together they
        // would exceed it. The message takes a new slot after every one already reserved.
        // Fast numbers (several in flight) have the headroom to absorb their lateness.
        const lateMs = context.now().getTime() - sendAt.getTime();
        if (processPacer.inFlightLimit(item.grant.numberId, limits) > 1 || lateMs <= limits.slotMs)
          break;
        sendAt = await reserveAgain(context, item.grant.numberId, item.prepared.segments, mpsById);
      }
      const request = sendOne(context, item.prepared, item.grant);
      processPacer.dispatched(item.grant.numberId, Date.now(), limits, request);
      heartbeat({ sending: item.prepared.row.id });
      const result = await request;
      settled.push(result);
      pendingFlush.push(result);
      if (pendingFlush.length >= flushEvery) await flush();
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(context.concurrency, sendable.length) }, worker),
    );
  } finally {
    await flush();
  }
  if (signal.aborted || (await context.interrupted())) {
    // Not an outcome: the workflow runs this batch again after a resume (sent rows are skipped).
    throw ApplicationFailure.retryable(
      'The campaign was paused or cancelled mid-batch',
      'CampaignInterrupted',
    );
  }
  for (const result of settled) {
    if (result.sid !== null) outcome.sent += 1;
    else if (result.retryAt !== null) outcome.retryScheduled += 1;
    else outcome.failed += 1;
  }
  await applyPendingEventsFor(
    context.db,
    settled.flatMap((result) => (result.sid === null ? [] : [result.sid])),
  );
  return outcome;
}

/** A new GCRA slot for one message, after everything already reserved on the number. */
async function reserveAgain(
  context: SendContext,
  numberId: string,
  segments: number,
  mpsById: ReadonlyMap<string, number>,
): Promise<Date> {
  const mps = (mpsById.get(numberId) ?? 1) * (1 - context.rateHeadroom);
  const slots = await reserveSlots(
    context.db,
    [{ numberId, segments: [segments] }],
    new Map([[numberId, mps]]),
    context.now(),
  );
  return slots.get(numberId)?.[0] ?? context.now();
}

const WAIT_STEP_MS = 1_000;

/**
 * Sleeps until a reserved slot in steps of a second, heartbeating after each: with several
 * batches in flight a slot may lie behind theirs, further off than the heartbeat timeout,
 * and a heartbeat is also how a cancellation reaches the activity. False when interrupted.
 */
async function waitForSlot(
  context: SendContext,
  wait: (at: Date, signal: AbortSignal) => Promise<void>,
  at: Date,
  signal: AbortSignal,
): Promise<boolean> {
  const steps = Math.ceil(Math.max(0, at.getTime() - Date.now()) / WAIT_STEP_MS);
  for (let step = 1; step < steps; step++) {
    await wait(new Date(Math.min(at.getTime(), Date.now() + WAIT_STEP_MS)), signal).catch(
      () => undefined,
    );
    heartbeat({ waitingForSlot: at.toISOString() });
    if (signal.aborted || context.interruptedNow()) return false;
  }
  return true;
}

async function sendOne(
  context: SendContext,
  prepared: Prepared,
  grant: Extract<SenderGrant, { ok: true }>,
): Promise<Settled> {
  const attempt = prepared.row.attempts + 1;
  const base = { messageId: prepared.row.id, attempt, numberId: grant.numberId };
  try {
    const sent = await context.sms.send({
      to: prepared.row.to_phone,
      from: grant.fromPhone,
      body: prepared.body,
      statusCallback: context.statusCallback,
    });
    return {
      ...base,
      sid: sent.sid,
      status: sent.status,
      errorCode: null,
      retryAt: null,
      final: false,
    };
  } catch (error) {
    const failure = toFailure(error);
    const decision = retryDecision(failure, attempt, context.retryPolicy);
    const errorCode =
      failure.kind === 'twilio_error'
        ? failure.code
        : failure.kind === 'http'
          ? failure.status
          : null;
    if (decision.action === 'retry') {
      const retryAt = new Date(context.now().getTime() + decision.delayMs);
      return { ...base, sid: null, status: 'pending', errorCode, retryAt, final: false };
    }
    return { ...base, sid: null, status: 'failed', errorCode, retryAt: null, final: true };
  }
}

function toFailure(error: unknown): Failure {
  if (error instanceof SmsSendError) {
    if (error.code !== null) return { kind: 'twilio_error', code: error.code };
    if (error.httpStatus !== null)
      return { kind: 'http', provider: 'twilio', status: error.httpStatus };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return /timed? ?out|ETIMEDOUT/i.test(detail) ? { kind: 'timeout' } : { kind: 'network', detail };
}
