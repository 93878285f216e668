import { afterFailure, ambiguousFailure } from '../core/send-outcome.ts';
import type { SendableMessage } from '../db/messages.ts';
import {
  adoptCarrierMessage,
  knownSids,
  markAbsentOnce,
  postponeResolution,
  settleNotCreated,
} from '../db/message-resolution.ts';
import type { RowState } from '../db/message-writes.ts';
import { applyPendingEventsFor } from '../db/status-events.ts';
import type { BatchOutcome } from '../core/campaign-contracts.ts';
import { heartbeat } from './heartbeat.ts';
import type { SendContext } from './send-context.ts';

/** How far before a row's last change its message may have been created at the carrier. */
const LOOKBACK_MS = 120_000;
/** Carrier lookups in flight at once. */
const LOOKUPS = 8;

export const rowState = (row: SendableMessage): RowState => ({
  id: row.id,
  status: row.status,
  claimToken: row.claim_token,
});

/**
 * Rows whose last send may have reached the carrier without tandem knowing: left `sending`
 * by a sender that died (its lease ended), or `unknown` (the answer was lost). Before anything
 * is sent again the carrier is asked (its list of messages from that number to that person
 * since the send): found, the row takes its sid; absent twice, `resolveAfterMs` apart, the
 * row is sent again (from another number, as a retry when the lost request had left).
 * Returns the rows to send now.
 */
export async function reconcileSending(
  context: Pick<
    SendContext,
    'db' | 'sms' | 'now' | 'retryPolicy' | 'resolveAfterMs' | 'health' | 'onStatusApplied'
  >,
  rows: readonly SendableMessage[],
  outcome: BatchOutcome,
): Promise<SendableMessage[]> {
  const { db } = context;
  const proceed: SendableMessage[] = [];
  const toAsk: SendableMessage[] = [];
  for (const row of rows) {
    if (row.status === 'pending' || row.from_phone === null || row.body === null) proceed.push(row);
    else toAsk.push(row);
  }
  if (toAsk.length === 0) return proceed;
  const known = await knownSids(
    db,
    toAsk.map((row) => row.id),
  );
  const adopted: string[] = [];
  const resolveOne = async (row: SendableMessage & { from_phone: string }) => {
    const state = rowState(row);
    let sent;
    try {
      sent = await context.sms.findSent({
        to: row.to_phone,
        from: row.from_phone,
        since: new Date(row.updated_at.getTime() - LOOKBACK_MS),
      });
    } catch {
      // The carrier cannot answer either: nothing is sent until it can.
      await postponeResolution(
        db,
        state,
        new Date(context.now().getTime() + context.resolveAfterMs),
      );
      outcome.deferred += 1;
      return;
    }
    const found = sent.find((message) => message.body === row.body && !known.has(message.sid));
    if (found !== undefined) {
      const ok = await adoptCarrierMessage(db, state, {
        sid: found.sid,
        status: 'queued',
        numberId: row.from_number_id,
      });
      if (ok) {
        adopted.push(found.sid);
        outcome.sent += 1;
      }
      return;
    }
    // One empty answer is not proof: the carrier may still be working on a request whose
    // client gave up. The row is asked about again after another wait; only a second empty
    // answer lets it be sent again.
    const now = context.now();
    const firstAbsence = row.carrier_absent_at;
    if (firstAbsence === null) {
      await markAbsentOnce(db, state, now, new Date(now.getTime() + context.resolveAfterMs));
      outcome.deferred += 1;
      return;
    }
    if (now.getTime() - firstAbsence.getTime() < context.resolveAfterMs) {
      await postponeResolution(
        db,
        state,
        new Date(firstAbsence.getTime() + context.resolveAfterMs),
      );
      outcome.deferred += 1;
      return;
    }
    // Left `sending`: its request never reached the carrier, so it was no attempt at all.
    if (row.status === 'sending') {
      proceed.push(row);
      return;
    }
    const settlement = afterFailure(
      ambiguousFailure(row.error_code),
      row.attempts,
      context.retryPolicy,
      now,
      false,
    );
    if (!(await settleNotCreated(db, state, settlement))) return;
    if (settlement.status === 'failed') outcome.failed += 1;
    else if ((settlement.nextAttemptAt?.getTime() ?? 0) <= now.getTime())
      proceed.push({ ...row, status: 'pending' });
    else outcome.retryScheduled += 1;
  };
  let next = 0;
  const lookup = async () => {
    for (let row = toAsk[next++]; row !== undefined; row = toAsk[next++]) {
      const from = row.from_phone;
      if (from !== null) await resolveOne({ ...row, from_phone: from });
      heartbeat({ reconciled: next });
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUPS, toAsk.length) }, lookup));
  // Callbacks for these sids may have arrived before the row knew them: apply them now.
  await applyPendingEventsFor(db, adopted, context.health, context.onStatusApplied);
  return proceed;
}
