import { sql } from 'kysely';
import { planNumberAction, type NumberAction } from '../core/number-operator.ts';
import type { Db } from './connect.ts';
import { changedFields, recordOperatorChange } from './operator-changes.ts';
import { applyTransitions } from './number-transitions.ts';
import type { NumberState, SenderNumber } from './tables.ts';
import { inTransaction } from './transaction.ts';

export type NumberActionResult =
  | { ok: true; number: SenderNumber; from: NumberState }
  | { ok: false; code: 'not_found' }
  | {
      ok: false;
      code: 'number_paused' | 'number_not_paused' | 'number_not_cooling';
      state: NumberState;
    };

async function lockLiveNumber(trx: Db, poolId: string, phone: string) {
  const found = await sql<SenderNumber>`
    SELECT * FROM sender_numbers
     WHERE pool_id = ${poolId} AND phone = ${phone} AND state <> 'retired'
     FOR NO KEY UPDATE`.execute(trx);
  return found.rows[0];
}

/**
 * Pause, resume or release a live number of the pool, recorded as a state change with the
 * operator's reason and name (the same record health changes make, so the number's history
 * and the `number.state_changed` webhook show both).
 */
export async function actOnNumber(
  db: Db,
  poolId: string,
  phone: string,
  action: NumberAction,
  change: { reason: string; actor: string },
  now: Date,
): Promise<NumberActionResult> {
  return inTransaction(db, async (trx) => {
    const number = await lockLiveNumber(trx, poolId, phone);
    if (number === undefined) return { ok: false, code: 'not_found' };
    let pausedFrom: NumberState | null = null;
    if (action === 'resume') {
      const last = await trx
        .selectFrom('sender_state_changes')
        .select('from_state')
        .where('number_id', '=', number.id)
        .where('to_state', '=', 'paused')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      pausedFrom = last?.from_state ?? null;
    }
    const plan = planNumberAction(action, number.state, pausedFrom);
    if (!plan.ok) return { ok: false, code: plan.code, state: number.state };
    await applyTransitions(
      trx,
      [
        {
          numberId: number.id,
          from: number.state,
          to: plan.to,
          reason: `${action}: ${change.reason}`,
          deliveryRate: null,
          samples: null,
          coolingUntil: null,
          actor: change.actor,
        },
      ],
      now,
    );
    return {
      ok: true,
      from: number.state,
      number: { ...number, state: plan.to, state_changed_at: now, cooling_until: null },
    };
  });
}

export interface NumberSettings {
  weight?: number | undefined;
  mps?: number | undefined;
  mms_mps?: number | null | undefined;
  daily_cap?: number | null | undefined;
}

/** Changes a live number's weight, MPS or daily cap, recording what changed. */
export async function updateNumberSettings(
  db: Db,
  poolId: string,
  phone: string,
  settings: NumberSettings,
  change: { reason: string | null; actor: string },
  now: Date,
): Promise<SenderNumber | undefined> {
  return inTransaction(db, async (trx) => {
    const number = await lockLiveNumber(trx, poolId, phone);
    if (number === undefined) return undefined;
    const changes = changedFields(
      {
        weight: number.weight,
        mps: number.mps,
        mms_mps: number.mms_mps,
        daily_cap: number.daily_cap,
      },
      { ...settings },
    );
    if (Object.keys(changes).length === 0) return number;
    const updated = await trx
      .updateTable('sender_numbers')
      .set(settings)
      .where('id', '=', number.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordOperatorChange(
      trx,
      {
        resourceType: 'number',
        resourceId: number.id,
        action: 'update',
        actor: change.actor,
        changes,
        reason: change.reason,
      },
      now,
    );
    return updated;
  });
}

/** The pool's number with this phone, in any state (a retired one still has a history). */
export async function poolNumberByPhone(
  db: Db,
  poolId: string,
  phone: string,
): Promise<SenderNumber | undefined> {
  return db
    .selectFrom('sender_numbers')
    .selectAll()
    .where('pool_id', '=', poolId)
    .where('phone', '=', phone)
    .executeTakeFirst();
}

export interface NumberHistoryEntry {
  kind: 'state_change' | 'settings_change';
  actor: string | null;
  from_state: NumberState | null;
  to_state: NumberState | null;
  reason: string | null;
  error_code: number | null;
  delivery_rate: number | null;
  samples: number | null;
  changes: Record<string, { before: unknown; after: unknown }> | null;
  at: Date;
}

/**
 * A number's history, newest first: its state changes (health, carrier errors and operators
 * alike, from `sender_state_changes`) and its operator setting changes.
 */
export async function numberHistory(
  db: Db,
  numberId: string,
  limit: number,
): Promise<NumberHistoryEntry[]> {
  const result = await sql<NumberHistoryEntry>`
    SELECT kind, actor, from_state, to_state, reason, error_code, delivery_rate, samples,
           changes, at
      FROM (
      SELECT 'state_change' AS kind, actor, from_state, to_state, reason, error_code,
             delivery_rate, samples, NULL::jsonb AS changes, created_at AS at, id AS seq
        FROM sender_state_changes WHERE number_id = ${numberId}
      UNION ALL
      SELECT 'settings_change', actor, NULL, NULL, reason, NULL, NULL, NULL, changes,
             created_at, id
        FROM operator_changes
       WHERE resource_type = 'number' AND resource_id = ${numberId}
    ) h
    ORDER BY at DESC, kind, seq DESC
    LIMIT ${limit}`.execute(db);
  return result.rows;
}
