import { sql } from 'kysely';
import { retryDecision, type Failure, type RetryPolicy } from '../core/carrier-errors.ts';
import {
  applyStatus,
  fromTwilioStatus,
  isFinal,
  isTwilioStatus,
  type MessageStatus,
} from '../core/message-status.ts';
import { failureWaitReason, type WaitReason } from '../core/wait-reason.ts';
import { carrierOptOutDetail } from '../core/send-outcome.ts';
import { optOutRefusedRecipients, type CarrierRefusal } from './carrier-opt-outs.ts';
import type { Db } from './connect.ts';
import { ownedBy, type MessageScope } from './messages.ts';
import { statusIn } from './status-sql.ts';
import type { HealthSettings } from './health-settings.ts';
import { recordOutcomes, type OutcomeInput } from './number-health.ts';
import { PREPARED } from './prepared.ts';

interface PendingEvent {
  id: string;
  provider_sid: string;
  status: string;
  error_code: number | null;
  /** The carrier's words for the error, when its callback gave them. */
  error_message: string | null;
}

interface Target {
  sid: string;
  message_id: string;
  attempt_id: string;
  current_sid: string | null;
  status: MessageStatus;
  attempts: number;
  from_number_id: string | null;
  retry_policy: RetryPolicy;
  /** Seconds since the carrier accepted the message's current send (null: not sent). */
  lag_seconds: number | null;
}

/** A status applied to a message, and how long after its send was accepted. */
export interface AppliedLag {
  status: MessageStatus;
  seconds: number;
}

interface MessageChange {
  id: string;
  status: MessageStatus;
  errorCode: number | null;
  retryInSeconds: number | null;
  waitReason: WaitReason | null;
  clearSid: boolean;
  final: boolean;
}

/**
 * Which unapplied events to look at. Only events whose sid belongs to one of our messages are
 * ever picked: callbacks for sids tandem never sent (another system on the same account)
 * stay stored and cost nothing afterwards.
 */
export interface ApplyScope {
  /** These events (just stored by a webhook). */
  ids?: readonly string[];
  /** Events of these sids (just stored by the sender). */
  sids?: readonly string[];
  /** Events of these messages (a campaign's, a pool's one-offs) still awaiting a final status. */
  owner?: MessageScope;
  /** Otherwise: a sweep of the events received within this many seconds (default 3600). */
  recentSeconds?: number;
  limit?: number;
  /** Number-health thresholds, from the caller's config. */
  health: HealthSettings;
  /** Told, after each batch commits, which statuses it applied and their lag (metrics). */
  onApplied?: (lags: readonly AppliedLag[]) => void;
}

/**
 * Folds unapplied status events into their messages, monotonically and in arrival order,
 * in one transaction per batch: events and messages are claimed with SKIP LOCKED, so any
 * number of appliers (API processes, the worker's sweep) share the work without waiting on
 * each other. An event whose sid no message has yet stays unapplied until one does.
 * Number health is fed afterwards, outside the lock on messages. Returns events applied.
 */
export async function applyStatusEvents(db: Db, scope: ApplyScope): Promise<number> {
  const { applied, outcomes, lags } = await db.transaction().execute(async (trx) => {
    const events = await sql<PendingEvent>`${PREPARED}
      SELECT e.id::text AS id, e.provider_sid, e.status, e.error_code, e.payload->>'ErrorMessage' AS error_message
        FROM message_events e
       WHERE e.applied_at IS NULL AND e.provider = 'twilio' AND ${eventFilter(scope)}
         AND EXISTS (SELECT 1 FROM message_attempts a WHERE a.provider_sid = e.provider_sid)
       ORDER BY e.id LIMIT ${scope.limit ?? 5000} FOR UPDATE OF e SKIP LOCKED`.execute(trx);
    if (events.rows.length === 0) return { applied: 0, outcomes: [], lags: [] };
    const sids = [...new Set(events.rows.map((event) => event.provider_sid))];
    const targets = await sql<Target>`${PREPARED}
      SELECT a.provider_sid AS sid, m.id::text AS message_id, a.id::text AS attempt_id, m.provider_sid AS current_sid,
             m.status, m.attempts, a.from_number_id::text AS from_number_id,
             COALESCE(c.retry_policy, m.retry_policy) AS retry_policy,
             EXTRACT(EPOCH FROM clock_timestamp() - m.sent_at)::float8 AS lag_seconds
        FROM message_attempts a JOIN messages m ON m.id = a.message_id
        LEFT JOIN campaigns c ON c.id = m.campaign_id
       WHERE a.provider_sid = ANY(${sids}::text[])
       ORDER BY m.id FOR UPDATE OF m SKIP LOCKED`.execute(trx);
    const bySid = new Map(targets.rows.map((row) => [row.sid, row]));
    return fold(trx, events.rows, bySid);
  });
  if (lags.length > 0) scope.onApplied?.(lags);
  if (outcomes.length > 0) await recordOutcomes(db, outcomes, new Date(), scope.health);
  return applied;
}

function eventFilter(scope: ApplyScope) {
  if (scope.ids !== undefined) return sql`e.id = ANY(${[...scope.ids]}::bigint[])`;
  if (scope.sids !== undefined) return sql`e.provider_sid = ANY(${[...scope.sids]}::text[])`;
  if (scope.owner !== undefined) {
    return sql`e.provider_sid IN (
      SELECT a.provider_sid FROM messages m JOIN message_attempts a ON a.message_id = m.id
       WHERE ${ownedBy(scope.owner)} AND (${statusIn('m.status', 'awaitingCarrier')} OR ${statusIn('m.status', 'unresolved')})
         AND a.provider_sid IS NOT NULL)`;
  }
  return sql`e.received_at > now() - make_interval(secs => ${scope.recentSeconds ?? 3600})`;
}

export const applyPendingEventsFor = (
  db: Db,
  sids: readonly string[],
  health: HealthSettings,
  onApplied?: ApplyScope['onApplied'],
) =>
  sids.length === 0
    ? Promise.resolve(0)
    : applyStatusEvents(db, { sids, health, ...(onApplied === undefined ? {} : { onApplied }) });

async function fold(
  trx: Db,
  events: readonly PendingEvent[],
  bySid: ReadonlyMap<string, Target>,
): Promise<{ applied: number; outcomes: OutcomeInput[]; lags: AppliedLag[] }> {
  const appliedIds: string[] = [];
  const lags: AppliedLag[] = [];
  const attemptStatus = new Map<string, { status: MessageStatus; errorCode: number | null }>();
  const changes = new Map<string, MessageChange>();
  const optOuts: CarrierRefusal[] = [];
  const outcomes: OutcomeInput[] = [];
  for (const event of events) {
    const target = bySid.get(event.provider_sid);
    if (target === undefined) continue;
    appliedIds.push(event.id);
    const incoming = isTwilioStatus(event.status) ? fromTwilioStatus(event.status) : null;
    if (incoming === null) continue;
    const previous = attemptStatus.get(target.attempt_id);
    attemptStatus.set(target.attempt_id, {
      status: incoming,
      errorCode: event.error_code ?? previous?.errorCode ?? null,
    });
    if (isFinal(incoming) && target.from_number_id !== null) {
      outcomes.push({
        numberId: target.from_number_id,
        status: incoming,
        errorCode: event.error_code,
      });
    }
    // An older attempt's late news changes only that attempt.
    if (target.current_sid !== event.provider_sid) continue;
    const next = applyStatus(target.status, incoming);
    if (next === 'ignore') continue;
    if (target.lag_seconds !== null) lags.push({ status: next, seconds: target.lag_seconds });
    const change: MessageChange = {
      id: target.message_id,
      status: next,
      errorCode: event.error_code,
      retryInSeconds: null,
      waitReason: null,
      clearSid: false,
      final: isFinal(next),
    };
    if ((next === 'failed' || next === 'undelivered') && event.error_code !== null) {
      const failure: Failure = { kind: 'twilio_error', code: event.error_code };
      const decision = retryDecision(failure, target.attempts, target.retry_policy);
      if (decision.action === 'retry') {
        Object.assign(change, {
          status: 'pending',
          retryInSeconds: decision.delayMs / 1000,
          waitReason: failureWaitReason(failure),
          clearSid: true,
          final: false,
        });
        target.current_sid = null;
      } else if (decision.errorClass === 'opted_out') {
        optOuts.push({
          messageId: target.message_id,
          detail: carrierOptOutDetail(event.error_code, event.error_message),
        });
      }
    }
    target.status = change.status;
    changes.set(target.message_id, change);
  }
  await writeChanges(trx, [...changes.values()], attemptStatus, optOuts);
  if (appliedIds.length > 0) {
    await sql`${PREPARED}UPDATE message_events SET applied_at = now() WHERE id = ANY(${appliedIds}::bigint[])`.execute(
      trx,
    );
  }
  return { applied: appliedIds.length, outcomes, lags };
}

async function writeChanges(
  trx: Db,
  changes: readonly MessageChange[],
  attempts: ReadonlyMap<string, { status: MessageStatus; errorCode: number | null }>,
  optOuts: readonly CarrierRefusal[],
): Promise<void> {
  if (changes.length > 0) {
    const col = <T>(pick: (c: MessageChange) => T) => changes.map(pick);
    await sql`${PREPARED}
      UPDATE messages m SET
          status = v.status,
          error_code = COALESCE(v.error_code, m.error_code),
          provider_sid = CASE WHEN v.clear_sid THEN NULL ELSE m.provider_sid END,
          next_attempt_at = CASE WHEN v.retry_in IS NULL THEN m.next_attempt_at ELSE now() + make_interval(secs => v.retry_in) END,
          wait_reason = CASE WHEN v.retry_in IS NULL THEN m.wait_reason ELSE v.wait_reason END,
          final_at = CASE WHEN v.final THEN now() ELSE m.final_at END,
          updated_at = now()
        FROM unnest(${col((c) => c.id)}::bigint[], ${col((c) => c.status)}::text[], ${col((c) => c.errorCode)}::int[],
                    ${col((c) => c.clearSid)}::bool[], ${col((c) => c.retryInSeconds)}::float8[], ${col((c) => c.final)}::bool[],
                    ${col((c) => c.waitReason)}::text[])
             AS v(id, status, error_code, clear_sid, retry_in, final, wait_reason)
       WHERE m.id = v.id`.execute(trx);
  }
  if (attempts.size > 0) {
    const entries = [...attempts.entries()];
    await sql`${PREPARED}
      UPDATE message_attempts a SET status = v.status, error_code = COALESCE(v.error_code, a.error_code)
        FROM unnest(${entries.map(([id]) => id)}::bigint[], ${entries.map(([, s]) => s.status)}::text[],
                    ${entries.map(([, s]) => s.errorCode)}::int[]) AS v(id, status, error_code)
       WHERE a.id = v.id`.execute(trx);
  }
  await optOutRefusedRecipients(trx, optOuts, new Date());
}
