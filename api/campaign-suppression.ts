import type { Db } from '../db/connect.ts';
import { existingSuppressionLists } from '../db/suppression-lists.ts';
import { ApiError } from './errors.ts';

/** The suppression lists a new campaign names, all of which must exist (else a 422). */
export async function knownSuppressionLists(db: Db, ids: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(ids)];
  const found = await existingSuppressionLists(db, wanted);
  const unknown = wanted.filter((id) => !found.has(id));
  if (unknown.length > 0)
    throw new ApiError(
      422,
      'unknown_suppression_list',
      `Suppression list ${unknown.join(', ')} does not exist`,
      { unknown },
    );
  return wanted;
}
