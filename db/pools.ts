import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { applyTransitions } from './number-transitions.ts';
import type { NumberTransition } from './number-transitions.ts';
import type { Database, NewPool, NumberKind, Pool, SenderNumber } from './tables.ts';

export async function createPool(db: Kysely<Database>, pool: NewPool): Promise<Pool> {
  return db.insertInto('pools').values(pool).returningAll().executeTakeFirstOrThrow();
}

export async function findPool(db: Kysely<Database>, poolId: string): Promise<Pool | undefined> {
  return db.selectFrom('pools').selectAll().where('id', '=', poolId).executeTakeFirst();
}

export interface PoolSummary extends Pool {
  numbers: number;
  active: number;
  probation: number;
  cooling: number;
  retired: number;
  misconfigured: number;
  paused: number;
}

export async function listPools(db: Kysely<Database>): Promise<PoolSummary[]> {
  const rows = await sql<PoolSummary>`
    SELECT p.*,
           count(n.id) FILTER (WHERE n.state <> 'retired')::int AS numbers,
           count(n.id) FILTER (WHERE n.state = 'active')::int AS active,
           count(n.id) FILTER (WHERE n.state = 'probation')::int AS probation,
           count(n.id) FILTER (WHERE n.state = 'cooling')::int AS cooling,
           count(n.id) FILTER (WHERE n.state = 'retired')::int AS retired,
           count(n.id) FILTER (WHERE n.state = 'misconfigured')::int AS misconfigured,
           count(n.id) FILTER (WHERE n.state = 'paused')::int AS paused
      FROM pools p LEFT JOIN sender_numbers n ON n.pool_id = p.id
     GROUP BY p.id ORDER BY p.created_at, p.id`.execute(db);
  return rows.rows;
}

export interface NewPoolNumber {
  phone: string;
  kind: NumberKind;
  weight: number;
  mps: number;
  mmsMps: number | null;
  dailyCap: number | null;
  areaCode: string | null;
  region: string | null;
}

export type AddNumberResult =
  | { ok: true; number: SenderNumber; reactivated: boolean }
  | { ok: false; code: 'number_taken'; poolId: string };

/**
 * Adds a number, or brings back a retired one (in this pool or from another), recording
 * the change. A number still live in any pool is refused with that pool's id.
 */
export async function addPoolNumber(
  db: Kysely<Database>,
  poolId: string,
  number: NewPoolNumber,
  now: Date,
): Promise<AddNumberResult> {
  const values = {
    pool_id: poolId,
    phone: number.phone,
    kind: number.kind,
    weight: number.weight,
    mps: number.mps,
    mms_mps: number.mmsMps,
    daily_cap: number.dailyCap,
    area_code: number.areaCode,
    region: number.region,
    state_changed_at: now,
  };
  const saved = await db
    .insertInto('sender_numbers')
    .values(values)
    .onConflict((conflict) =>
      conflict
        .column('phone')
        .doUpdateSet({ ...values, state: 'active', cooling_until: null })
        .where('sender_numbers.state', '=', 'retired'),
    )
    .returningAll()
    // xmax is set on a row an upsert updated rather than inserted.
    .returning(sql<boolean>`xmax <> 0`.as('reactivated'))
    .executeTakeFirst();
  if (saved === undefined) {
    const owner = await db
      .selectFrom('sender_numbers')
      .select('pool_id')
      .where('phone', '=', number.phone)
      .executeTakeFirstOrThrow();
    return { ok: false, code: 'number_taken', poolId: owner.pool_id };
  }
  const { reactivated, ...row } = saved;
  if (reactivated) {
    await db
      .insertInto('sender_state_changes')
      .values({
        number_id: saved.id,
        from_state: 'retired',
        to_state: 'active',
        reason: `re-added to pool ${poolId}`,
        created_at: now,
      })
      .execute();
  }
  return { ok: true, number: row, reactivated };
}

/** The pool's number with this phone, if it is live (not retired). */
export async function findLiveNumber(
  db: Kysely<Database>,
  poolId: string,
  phone: string,
): Promise<SenderNumber | undefined> {
  return db
    .selectFrom('sender_numbers')
    .selectAll()
    .where('pool_id', '=', poolId)
    .where('phone', '=', phone)
    .where('state', '<>', 'retired')
    .executeTakeFirst();
}

/** Marks a number retired (locked by the caller's transaction) and records why. */
export async function markRetired(
  db: Kysely<Database>,
  number: SenderNumber,
  reason: string,
  now: Date,
): Promise<void> {
  const transition: NumberTransition = {
    numberId: number.id,
    from: number.state,
    to: 'retired',
    reason,
    deliveryRate: null,
    samples: null,
    coolingUntil: null,
  };
  await applyTransitions(db, [transition], now);
}
