import { compareBigintIds } from './bigint-ids.ts';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { attribute, evaluateHealth } from '../core/health.ts';
import { poolHealthPolicy, type PoolHealthOverrides } from '../core/pool-health.ts';
import type { Outcome } from '../core/health.ts';
import type { HealthSettings } from './health-settings.ts';
import { applyTransitions } from './number-transitions.ts';
import type { NumberTransition } from './number-transitions.ts';
import type { Database, NumberState } from './tables.ts';
import { inTransaction } from './transaction.ts';
import { PREPARED } from './prepared.ts';

export interface OutcomeInput {
  numberId: string;
  /** Any message status; only final ones (delivered, undelivered, failed) are counted. */
  status: string;
  errorCode: number | null;
}

type FinalStatus = Outcome['status'];
const isFinal = (status: string): status is FinalStatus =>
  status === 'delivered' || status === 'undelivered' || status === 'failed';

/** One outcome; see `recordOutcomes`. */
export async function recordOutcome(
  db: Kysely<Database>,
  outcome: OutcomeInput,
  now: Date,
  settings: HealthSettings,
): Promise<NumberTransition[]> {
  return recordOutcomes(db, [outcome], now, settings);
}

/**
 * Stores final outcomes with their attribution (only sender-caused failures count against
 * a number) and re-evaluates the numbers that got attributable ones, applying and
 * recording any state change. Returns the changes made.
 */
export async function recordOutcomes(
  db: Kysely<Database>,
  outcomes: readonly OutcomeInput[],
  now: Date,
  settings: HealthSettings,
): Promise<NumberTransition[]> {
  const finals = outcomes.flatMap((o) =>
    isFinal(o.status) ? [{ numberId: o.numberId, status: o.status, errorCode: o.errorCode }] : [],
  );
  if (finals.length === 0) return [];
  // In number order, as every statement that locks numbers takes them: no deadlock.
  const rows = [...finals]
    .sort((a, b) => compareBigintIds(a.numberId, b.numberId))
    .map((o) => ({
      number_id: o.numberId,
      status: o.status,
      error_code: o.errorCode,
      attribution: attribute({ ...o, at: now.getTime() }, settings.policy),
      at: now,
    }));
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
  await sql`${PREPARED}
    INSERT INTO sender_outcomes (number_id, status, error_code, attribution, at)
    SELECT number_id, status, error_code, attribution, ${now}::timestamptz
      FROM unnest(${column((r) => r.number_id)}::bigint[], ${column((r) => r.status)}::text[],
                  ${column((r) => r.error_code)}::int[], ${column((r) => r.attribution)}::text[])
           AS v(number_id, status, error_code, attribution)
     ORDER BY number_id`.execute(db);
  const judged = [
    ...new Set(rows.filter((r) => r.attribution !== 'ignored').map((r) => r.number_id)),
  ];
  return evaluateNumbers(db, judged, now, settings);
}

/**
 * Time-based changes (cool-down over → probation, clean probation over → active) for the
 * numbers due, in one pool or everywhere. Reservations call it per pool before choosing.
 */
export async function refreshNumberStates(
  db: Kysely<Database>,
  now: Date,
  settings: HealthSettings,
  poolId?: string,
): Promise<NumberTransition[]> {
  const { coolDownMs, probationMs } = settings.policy;
  // Each pool's own cool-down and probation lengths, else the global ones.
  const pool = poolId === undefined ? sql`TRUE` : sql`n.pool_id = ${poolId}`;
  const due = await sql<{ id: string }>`
    SELECT n.id::text AS id FROM sender_numbers n JOIN pools p ON p.id = n.pool_id
     WHERE ${pool} AND (
       (n.state = 'cooling' AND n.state_changed_at <= ${now}::timestamptz
          - COALESCE(p.health_cooldown_seconds * 1000.0, ${coolDownMs}) * interval '1 millisecond')
       OR (n.state = 'probation' AND n.state_changed_at <= ${now}::timestamptz
          - COALESCE(p.health_probation_seconds * 1000.0, ${probationMs}) * interval '1 millisecond'))`.execute(
    db,
  );
  return evaluateNumbers(
    db,
    due.rows.map((row) => row.id),
    now,
    settings,
  );
}

interface Judged extends PoolHealthOverrides {
  id: string;
  state: NumberState;
  state_changed_at: Date;
}

/**
 * Locks the numbers (in id order), loads their recent outcomes, applies the state machine.
 * A number a reservation holds right now (its sticky and usage rows' key locks, then its
 * slot) is skipped rather than waited for: waiting could deadlock with that reservation, and
 * the number is judged again on its next outcome.
 */
export async function evaluateNumbers(
  db: Kysely<Database>,
  numberIds: readonly string[],
  now: Date,
  settings: HealthSettings,
): Promise<NumberTransition[]> {
  if (numberIds.length === 0) return [];
  return inTransaction(db, async (trx) => {
    const numbers = await sql<Judged>`${PREPARED}
      SELECT n.id::text AS id, n.state, n.state_changed_at, p.health_threshold,
             p.health_min_samples, p.health_cooldown_seconds, p.health_probation_seconds,
             p.health_probation_good, p.health_probation_min_samples
        FROM sender_numbers n JOIN pools p ON p.id = n.pool_id
       WHERE n.id = ANY(${numberIds}::bigint[])
       ORDER BY n.id FOR NO KEY UPDATE OF n SKIP LOCKED`.execute(trx);
    const history = await recentOutcomes(trx, numberIds, now, settings);
    const transitions = numbers.rows.flatMap((number): NumberTransition[] => {
      const current = { state: number.state, since: number.state_changed_at.getTime() };
      const outcomes = history.get(number.id) ?? [];
      const policy = poolHealthPolicy(settings.policy, number);
      const { transition, stats } = evaluateHealth(current, outcomes, now.getTime(), policy);
      if (transition === null) return [];
      const coolingUntil =
        transition.to === 'cooling' ? new Date(now.getTime() + policy.coolDownMs) : null;
      return [
        {
          numberId: number.id,
          ...transition,
          deliveryRate: stats.rate,
          samples: stats.samples,
          coolingUntil,
        },
      ];
    });
    return applyTransitions(trx, transitions, now);
  });
}

/**
 * The last `window` attributable outcomes of each number since it entered its state, grouped
 * by status and error code (each group at its latest time, which lies in the same bounds).
 * Every applied batch reads them: rows per group, not per outcome, keep that cheap.
 */
async function recentOutcomes(
  db: Kysely<Database>,
  numberIds: readonly string[],
  now: Date,
  settings: HealthSettings,
): Promise<Map<string, Outcome[]>> {
  const since = new Date(now.getTime() - settings.policy.windowMs);
  const rows = await sql<{
    number_id: string;
    status: FinalStatus;
    error_code: number | null;
    count: number;
    at_ms: number;
  }>`${PREPARED}
    SELECT n.id::text AS number_id, o.status, o.error_code, count(*)::int AS count,
           (extract(epoch FROM max(o.at)) * 1000)::float8 AS at_ms
      FROM sender_numbers n
      CROSS JOIN LATERAL (
        SELECT status, error_code, at FROM sender_outcomes
         WHERE number_id = n.id AND attribution <> 'ignored'
           AND at >= greatest(n.state_changed_at, ${since}) AND at <= ${now}
         ORDER BY at DESC LIMIT ${settings.window}
      ) o
     WHERE n.id = ANY(${numberIds}::bigint[])
     GROUP BY n.id, o.status, o.error_code`.execute(db);
  const byNumber = new Map<string, Outcome[]>();
  for (const row of rows.rows) {
    const list = byNumber.get(row.number_id) ?? [];
    list.push({ at: row.at_ms, status: row.status, errorCode: row.error_code, count: row.count });
    byNumber.set(row.number_id, list);
  }
  return byNumber;
}

/**
 * Deletes delivery outcomes too old for any health judgement (older than `before`), at most
 * `limit` at a time so the delete never holds many locks; returns how many went.
 */
export async function pruneOutcomes(
  db: Kysely<Database>,
  before: Date,
  limit = 10_000,
): Promise<number> {
  const result = await sql`${PREPARED}
    DELETE FROM sender_outcomes WHERE ctid IN (
      SELECT ctid FROM sender_outcomes WHERE at < ${before} LIMIT ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
