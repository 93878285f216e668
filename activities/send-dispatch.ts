import { setMaxListeners } from 'node:events';
import { dispatchDeadline, leaseUntil } from '../core/claim-lease.ts';
import { httpErrorAnswer, settle, transportAnswer, type SendAnswer } from '../core/send-outcome.ts';
import { recordSettledSends } from '../db/carrier-opt-outs.ts';
import { renewLease, type SettledSend } from '../db/message-writes.ts';
import { reserveSlots } from '../db/sender-slots.ts';
import { SmsSendError } from './carriers/sms.ts';
import { sleepUntil as defaultSleepUntil } from './heartbeat.ts';
import { processPacer, sendPacerLimits } from './number-pacer.ts';
import type { NumberRate } from '../core/gcra.ts';
import { watchOptOuts, type OptOutWatch } from './opt-out-watch.ts';
import type { SendContext } from './send-context.ts';
import type { Prepared } from './send-triage.ts';

/** A row claimed by this sender: its sender number, slot and lease. */
export interface ClaimedSend {
  prepared: Prepared;
  numberId: string;
  fromPhone: string;
  sendAt: Date;
  leaseUntil: Date;
  /** Why the pool chose this sender (core/one-off.ts `SenderReason`); absent: chosen before. */
  senderReason?: string;
}

export interface DispatchResult {
  /** Outcomes stored (this sender still held the claim). */
  settled: SettledSend[];
  /** Claimed rows never put on the wire (paused, cancelled, the activity superseded). */
  undispatched: string[];
  /** Claimed rows not sent because their contact opted out after the claim. */
  optedOut: string[];
  /** Outcomes not stored: another sender had taken the row over. */
  superseded: number;
}

type Wait = (at: Date, signal: AbortSignal) => Promise<void>;

const FLUSH_EVERY = 100;
const WAIT_STEP_MS = 1_000;

/**
 * Sends claimed rows at their slots, `context.concurrency` at a time, and stores each
 * answer under the claim's token. A sender stops dispatching as soon as the campaign is
 * interrupted or its activity is cancelled (which is how Temporal tells a superseded attempt);
 * requests already on the wire are awaited and stored.
 */
export async function dispatchClaims(
  context: SendContext,
  token: string,
  claims: ClaimedSend[],
  rateById: ReadonlyMap<string, NumberRate>,
  signal: AbortSignal,
): Promise<DispatchResult> {
  const result: DispatchResult = { settled: [], undispatched: [], optedOut: [], superseded: 0 };
  const wait = context.sleepUntil ?? defaultSleepUntil;
  claims.sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime());
  const pending: SettledSend[] = [];
  const flush = async () => {
    const chunk = pending.splice(0, pending.length);
    if (chunk.length === 0) return;
    const written = await recordSettledSends(context.db, token, chunk, context.now());
    for (const item of chunk) {
      if (written.has(item.messageId)) result.settled.push(item);
      else result.superseded += 1;
    }
  };
  let next = 0;
  // One sender failing (the database went away) fails the attempt: the others stop
  // dispatching at once instead of sending for an attempt that no longer counts.
  const stop = new AbortController();
  // Every concurrent sender waits on this one signal (sleepUntil adds a listener per wait).
  setMaxListeners(context.concurrency + 8, stop.signal);
  const optOuts = await watchOptOuts(
    context.db,
    claims.map((claim) => claim.prepared.row.contact_id),
  );
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const sender = async () => {
    for (let item = claims[next++]; item !== undefined; item = claims[next++]) {
      if (stop.signal.aborted || context.interruptedNow() || (await context.interrupted())) {
        result.undispatched.push(item.prepared.row.id);
        continue;
      }
      let request: Promise<SettledSend> | undefined;
      const ready = await awaitSlot(
        { context, token, item, rateById, wait, optOuts },
        stop.signal,
        () => {
          request = sendOne(context, item);
          return request;
        },
      );
      if (ready === 'superseded') result.superseded += 1;
      else if (ready === 'opted_out') result.optedOut.push(item.prepared.row.id);
      else if (ready === 'stopped' || request === undefined)
        result.undispatched.push(item.prepared.row.id);
      else {
        pending.push(await request);
        if (pending.length >= FLUSH_EVERY) await flush();
      }
    }
  };
  const senders = await Promise.allSettled(
    Array.from({ length: Math.min(context.concurrency, claims.length) }, () =>
      sender().catch((error: unknown) => {
        stop.abort();
        throw error;
      }),
    ),
  );
  signal.removeEventListener('abort', onAbort);
  optOuts.stop();
  await flush();
  const failure = senders.find((outcome) => outcome.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return result;
}

/**
 * Waits for the claim's slot and for the pacer, makes sure the claim's lease still covers a
 * request started now (renewing it, fenced by the token, when a stall made it late), and
 * dispatches in the same tick as the pacer's last decision: an await in between would let
 * every sender woken by the same answer dispatch at once.
 */
async function awaitSlot(
  sender: {
    context: SendContext;
    token: string;
    item: ClaimedSend;
    rateById: ReadonlyMap<string, NumberRate>;
    wait: Wait;
    optOuts: OptOutWatch;
  },
  signal: AbortSignal,
  dispatch: () => Promise<SettledSend>,
): Promise<'sent' | 'stopped' | 'superseded' | 'opted_out'> {
  const { context, token, item, rateById, wait, optOuts } = sender;
  const limits = sendPacerLimits(
    rateOf(rateById, item.numberId),
    costOf(item.prepared),
    context.rateHeadroom,
  );
  const pacer = context.pacer ?? processPacer;
  const clock = () => context.now().getTime();
  for (;;) {
    // In steps, so a pause reaches a sender waiting for a distant slot within a second.
    while (clock() < item.sendAt.getTime()) {
      const step = Math.min(item.sendAt.getTime(), clock() + WAIT_STEP_MS);
      await wait(new Date(step), signal).catch(() => undefined);
      if (signal.aborted || context.interruptedNow()) return 'stopped';
    }
    for (;;) {
      const decision = pacer.next(item.numberId, clock(), limits);
      if ('answer' in decision) await decision.answer;
      else if (decision.waitMs > 0)
        await wait(new Date(clock() + decision.waitMs), signal).catch(() => undefined);
      else break;
      if (signal.aborted) return 'stopped';
    }
    if (signal.aborted || context.interruptedNow()) return 'stopped';
    if (optOuts.optedOut(item.prepared.row.contact_id)) return 'opted_out';
    const now = clock();
    // A slot missed by more than its length (a stall here or at the carrier) is not caught
    // up: other processes keep sending on this number at its full rate, so together they
    // would exceed it. The message takes a new slot after every one already reserved.
    // Fast numbers (several in flight) have the headroom to absorb their lateness.
    const lateMs = now - item.sendAt.getTime();
    const late = pacer.inFlightLimit(item.numberId, limits) <= 1 && lateMs > limits.slotMs;
    if (!late && now <= dispatchDeadline(item.leaseUntil, context.requestTimeoutMs)) {
      pacer.dispatched(item.numberId, now, limits, dispatch());
      return 'sent';
    }
    if (late) item.sendAt = await reserveAgain(context, item, rateById);
    item.leaseUntil = leaseUntil(
      new Date(Math.max(item.sendAt.getTime(), now)),
      context.requestTimeoutMs,
    );
    if (!(await renewLease(context.db, token, item.prepared.row.id, item.leaseUntil)))
      return 'superseded';
  }
}

/** A new GCRA slot for one message, after everything already reserved on the number. */
async function reserveAgain(
  context: SendContext,
  item: ClaimedSend,
  rateById: ReadonlyMap<string, NumberRate>,
): Promise<Date> {
  const slots = await reserveSlots(
    context.db,
    [{ numberId: item.numberId, sends: [costOf(item.prepared)] }],
    new Map([[item.numberId, rateOf(rateById, item.numberId)]]),
    context.now(),
    context.rateHeadroom,
  );
  return slots.get(item.numberId)?.[0] ?? context.now();
}

const rateOf = (rates: ReadonlyMap<string, NumberRate>, numberId: string): NumberRate =>
  rates.get(numberId) ?? { mps: 1, mmsMps: null };

const costOf = (prepared: Prepared) => ({
  segments: prepared.segments,
  media: prepared.mediaUrls.length > 0,
});

async function sendOne(context: SendContext, item: ClaimedSend): Promise<SettledSend> {
  const { row } = item.prepared;
  let answer: SendAnswer;
  try {
    const sent = await context.sms.send({
      to: row.to_phone,
      from: item.fromPhone,
      body: item.prepared.body,
      mediaUrls: item.prepared.mediaUrls,
      statusCallback: context.statusCallback,
    });
    answer = { kind: 'accepted', sid: sent.sid, carrierStatus: sent.status };
  } catch (error) {
    answer = toAnswer(error);
  }
  return {
    messageId: row.id,
    numberId: item.numberId,
    settlement: settle(answer, {
      attemptsBefore: row.attempts,
      policy: row.retry_policy ?? context.retryPolicy,
      now: context.now(),
      resolveAfterMs: context.resolveAfterMs,
    }),
  };
}

function toAnswer(error: unknown): SendAnswer {
  if (error instanceof SmsSendError)
    return httpErrorAnswer(error.httpStatus, error.code, error.message);
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined;
  return transportAnswer(code, error instanceof Error ? error.message : String(error));
}
