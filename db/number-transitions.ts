import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, NumberState } from './tables.ts';

export interface NumberTransition {
  numberId: string;
  from: NumberState;
  to: NumberState;
  reason: string;
  deliveryRate: number | null;
  samples: number | null;
  /** Set when entering `cooling`: when the cool-down ends. */
  coolingUntil: Date | null;
  /** The carrier's error code behind the change, if one was (a misconfigured sender's 21606). */
  errorCode?: number | null;
  /** Who made the change (an API caller); absent or null: tandem itself. */
  actor?: string | null;
}

/**
 * Applies state changes and records each with its reason, in one statement. A change whose
 * `from` no longer matches the row (another process moved it first) is dropped; the
 * applied ones are returned.
 */
export async function applyTransitions(
  db: Kysely<Database>,
  transitions: readonly NumberTransition[],
  now: Date,
): Promise<NumberTransition[]> {
  if (transitions.length === 0) return [];
  const column = <T>(pick: (t: NumberTransition) => T): T[] => transitions.map(pick);
  const applied = await sql<{ number_id: string }>`
    WITH t AS (
      SELECT * FROM unnest(
        ${column((t) => t.numberId)}::bigint[], ${column((t) => t.from)}::text[],
        ${column((t) => t.to)}::text[], ${column((t) => t.reason)}::text[],
        ${column((t) => t.deliveryRate)}::float8[], ${column((t) => t.samples)}::int[],
        ${column((t) => t.coolingUntil?.toISOString() ?? null)}::timestamptz[],
        ${column((t) => t.errorCode ?? null)}::int[], ${column((t) => t.actor ?? null)}::text[]
      ) AS t(id, from_state, to_state, reason, rate, samples, cooling_until, error_code, actor)
    ), updated AS (
      UPDATE sender_numbers n
         SET state = t.to_state, state_changed_at = ${now}, cooling_until = t.cooling_until
        FROM t
       WHERE n.id = t.id AND n.state = t.from_state
      RETURNING n.id
    )
    INSERT INTO sender_state_changes
      (number_id, from_state, to_state, reason, error_code, delivery_rate, samples, actor, created_at)
    SELECT t.id, t.from_state, t.to_state, t.reason, t.error_code, t.rate, t.samples, t.actor, ${now}
      FROM t JOIN updated USING (id)
    RETURNING number_id::text AS number_id`.execute(db);
  const done = new Set(applied.rows.map((row) => row.number_id));
  return transitions.filter((t) => done.has(t.numberId));
}

/** A number the carrier refused as a sender, with its error code and the carrier's words. */
export interface SenderFault {
  numberId: string;
  errorCode: number;
  reason: string;
}

/**
 * Takes numbers the carrier refused as senders (not owned, not SMS-capable) out of selection:
 * `misconfigured`, whatever health state they were in, recorded with the code and reason. A
 * retired or already misconfigured number stays as it is. Returns the changes made.
 */
export async function markMisconfigured(
  db: Kysely<Database>,
  faults: readonly SenderFault[],
  now: Date,
): Promise<NumberTransition[]> {
  const byNumber = new Map(faults.map((fault) => [fault.numberId, fault]));
  if (byNumber.size === 0) return [];
  const current = await db
    .selectFrom('sender_numbers')
    .select(['id', 'state'])
    .where('id', 'in', [...byNumber.keys()])
    .where('state', 'not in', ['retired', 'misconfigured'])
    .execute();
  const transitions = current.flatMap((number): NumberTransition[] => {
    const fault = byNumber.get(number.id);
    if (fault === undefined) return [];
    return [
      {
        numberId: number.id,
        from: number.state,
        to: 'misconfigured',
        reason: `the carrier refused it as a sender: ${fault.errorCode} ${fault.reason}`,
        deliveryRate: null,
        samples: null,
        coolingUntil: null,
        errorCode: fault.errorCode,
      },
    ];
  });
  return applyTransitions(db, transitions, now);
}
