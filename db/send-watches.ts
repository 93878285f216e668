import { sql } from 'kysely';
import type { Db } from './connect.ts';
import { PREPARED } from './prepared.ts';

/**
 * The two reads a batch repeats every quarter second while it sends (prepared: their text
 * does not grow with the batch, as an IN list's would).
 */

/** Which of these contacts are opted out now. */
export async function optedOutAmong(db: Db, contactIds: readonly string[]): Promise<string[]> {
  const result = await sql<{ id: string }>`${PREPARED}
    SELECT id::text AS id FROM contacts
     WHERE id = ANY(${[...contactIds]}::bigint[]) AND opted_out_at IS NOT NULL`.execute(db);
  return result.rows.map((row) => row.id);
}

/** The campaign's status, or undefined when it is gone. */
export async function campaignStatusOf(db: Db, campaignId: string): Promise<string | undefined> {
  const result = await sql<{ status: string }>`${PREPARED}
    SELECT status FROM campaigns WHERE id = ${campaignId}`.execute(db);
  return result.rows[0]?.status;
}
