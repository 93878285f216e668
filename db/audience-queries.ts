import type { Db } from './connect.ts';
import type { Rejection } from './audiences.ts';

export async function findAudience(db: Db, id: string) {
  return db
    .selectFrom('audiences')
    .select([
      'id',
      'name',
      'columns',
      'rows_read',
      'imported',
      'duplicates',
      'rejected',
      'created_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Rejections in line order, after `afterLine` (keyset pagination). */
export async function listRejections(
  db: Db,
  audienceId: string,
  page: { afterLine: number; limit: number },
): Promise<Rejection[]> {
  return db
    .selectFrom('audience_rejections')
    .select(['line', 'reason', 'value'])
    .where('audience_id', '=', audienceId)
    .where('line', '>', page.afterLine)
    .orderBy('line')
    .limit(page.limit)
    .execute();
}
