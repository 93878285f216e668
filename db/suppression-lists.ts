import { sql } from 'kysely';
import type { Db } from './connect.ts';
import { GLOBAL_SUPPRESSION_LIST } from './tables.ts';

export interface SuppressionListSummary {
  id: string;
  name: string;
  global: boolean;
  entries: number;
  created_at: Date;
}

const summaries = (db: Db, id: string | null) =>
  sql<SuppressionListSummary>`
    SELECT l.id, l.name, l.id = ${GLOBAL_SUPPRESSION_LIST} AS global, l.created_at,
           (SELECT count(*)::int FROM suppression_entries e WHERE e.list_id = l.id) AS entries
      FROM suppression_lists l
     WHERE ${id === null ? sql`TRUE` : sql`l.id = ${id}`}
     ORDER BY l.id = ${GLOBAL_SUPPRESSION_LIST} DESC, l.created_at, l.id`.execute(db);

export async function createSuppressionList(db: Db, name: string): Promise<SuppressionListSummary> {
  const row = await db
    .insertInto('suppression_lists')
    .values({ id: sql<string>`gen_random_uuid()::text`, name })
    .returning(['id', 'name', 'created_at'])
    .executeTakeFirstOrThrow();
  return { ...row, global: false, entries: 0 };
}

export async function listSuppressionLists(db: Db): Promise<SuppressionListSummary[]> {
  return (await summaries(db, null)).rows;
}

export async function findSuppressionList(
  db: Db,
  id: string,
): Promise<SuppressionListSummary | undefined> {
  return (await summaries(db, id)).rows[0];
}

/** Which of `ids` name a suppression list. */
export async function existingSuppressionLists(
  db: Db,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('suppression_lists')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** The lists a campaign honours besides the global one. */
export async function setCampaignSuppressionLists(
  db: Db,
  campaignId: string,
  listIds: readonly string[],
): Promise<void> {
  const named = [...new Set(listIds)].filter((id) => id !== GLOBAL_SUPPRESSION_LIST);
  if (named.length === 0) return;
  await db
    .insertInto('campaign_suppression_lists')
    .values(named.map((listId) => ({ campaign_id: campaignId, list_id: listId })))
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

/** Every list a campaign honours: the global one first, then those it named. */
export async function campaignSuppressionListIds(db: Db, campaignId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_suppression_lists')
    .select('list_id')
    .where('campaign_id', '=', campaignId)
    .orderBy('list_id')
    .execute();
  return [GLOBAL_SUPPRESSION_LIST, ...rows.map((row) => row.list_id)];
}
