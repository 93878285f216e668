import type { Db } from '../db/connect.ts';
import { ApiError } from './errors.ts';

/** The audiences a campaign excludes must all exist (else a 422 naming those that do not). */
export async function assertAudiencesExist(db: Db, ids: readonly string[]): Promise<void> {
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return;
  const found = await db.selectFrom('audiences').select('id').where('id', 'in', wanted).execute();
  const known = new Set(found.map((row) => row.id));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new ApiError(
      422,
      'unknown_audience',
      `Excluded audience ${unknown.join(', ')} does not exist`,
      { unknown },
    );
}
