import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { WrrState } from '../core/weighted-round-robin.ts';
import type { PoolNumber } from '../core/sender-pool.ts';
import { senderDb } from './sender-tables.ts';
import type { Database, Pool } from './tables.ts';

export interface LockedPool {
  pool: Pool;
  wrr: WrrState;
}

/**
 * Locks the pool's selection state for the rest of the transaction, so every process that
 * chooses senders from this pool takes turns: one smooth weighted round-robin sequence
 * across all of them. Returns null for an unknown pool.
 */
export async function lockPoolSelection(
  trx: Kysely<Database>,
  poolId: string,
  now: Date,
): Promise<LockedPool | null> {
  const locked = await sql<{ wrr: Record<string, number> }>`
    INSERT INTO pool_selection_state (pool_id, updated_at)
    SELECT id, ${now} FROM pools WHERE id = ${poolId}
    ON CONFLICT (pool_id) DO UPDATE SET updated_at = EXCLUDED.updated_at
    RETURNING wrr`.execute(trx);
  const state = locked.rows[0];
  if (state === undefined) return null;
  const pool = await trx
    .selectFrom('pools')
    .selectAll()
    .where('id', '=', poolId)
    .executeTakeFirst();
  return pool === undefined ? null : { pool, wrr: state.wrr };
}

export async function saveWrrState(
  trx: Kysely<Database>,
  poolId: string,
  wrr: WrrState,
): Promise<void> {
  await senderDb(trx)
    .updateTable('pool_selection_state')
    .set({ wrr: JSON.stringify(wrr) })
    .where('pool_id', '=', poolId)
    .execute();
}

export interface PoolNumberRow extends PoolNumber {
  mps: number;
  mms_mps: number | null;
}

/** UTC calendar day, the unit of daily caps. */
export function usageDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The pool's live numbers with today's new-recipient counts, as core selection wants them. */
export async function loadPoolNumbers(
  db: Kysely<Database>,
  poolId: string,
  now: Date,
): Promise<PoolNumberRow[]> {
  const rows = await sql<PoolNumberRow>`
    SELECT n.id::text AS id, n.phone, n.kind, n.weight, n.mps, n.mms_mps, n.daily_cap, n.area_code, n.region,
           n.state, COALESCE(u.new_recipients, 0) AS new_recipients_today
      FROM sender_numbers n
      LEFT JOIN sender_daily_usage u ON u.number_id = n.id AND u.day = ${usageDay(now)}::date
     WHERE n.pool_id = ${poolId} AND n.state <> 'retired'
     ORDER BY n.id`.execute(db);
  return rows.rows;
}
