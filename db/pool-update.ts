import type { Db } from './connect.ts';
import { changedFields, recordOperatorChange } from './operator-changes.ts';
import type { Pool, PoolUpdate } from './tables.ts';
import { inTransaction } from './transaction.ts';

/** Changes a pool's settings and records what changed; undefined for an unknown pool. */
export async function updatePool(
  db: Db,
  poolId: string,
  update: PoolUpdate,
  actor: string,
  now: Date,
): Promise<Pool | undefined> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom('pools')
      .selectAll()
      .where('id', '=', poolId)
      .forUpdate()
      .executeTakeFirst();
    if (before === undefined) return undefined;
    const changes = changedFields(before, update);
    if (Object.keys(changes).length === 0) return before;
    const after = await trx
      .updateTable('pools')
      .set(update)
      .where('id', '=', poolId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordOperatorChange(
      trx,
      { resourceType: 'pool', resourceId: poolId, action: 'update', actor, changes },
      now,
    );
    return after;
  });
}
