import { sql } from 'kysely';
import type { ListCursor } from '../core/list-cursor.ts';
import type { Db } from './connect.ts';
import { memberPartition } from './audience-members.ts';
import { recordOperatorChange } from './operator-changes.ts';
import { inTransaction } from './transaction.ts';

export interface AudienceListRow {
  id: string;
  name: string;
  columns: string[];
  rows_read: number;
  imported: number;
  duplicates: number;
  rejected: number;
  created_at: Date;
  created_us: string;
  /** Campaigns on it (archived ones included): while there is one it cannot be deleted. */
  campaigns: number;
}

/** Audiences newest first by (created_at, id), with how many campaigns use each. */
export async function audiencesPage(
  db: Db,
  query: { after: ListCursor | null; limit: number },
): Promise<AudienceListRow[]> {
  const after =
    query.after === null
      ? sql`TRUE`
      : sql`(a.created_at, a.id) < (timestamptz 'epoch' + ${query.after.atUs ?? '0'}::bigint * interval '1 microsecond', ${query.after.id}::uuid)`;
  const result = await sql<AudienceListRow>`
    SELECT a.id, a.name, a.columns, a.rows_read, a.imported, a.duplicates, a.rejected,
           a.created_at, (extract(epoch FROM a.created_at) * 1000000)::bigint::text AS created_us,
           (SELECT count(*)::int FROM campaigns c WHERE c.audience_id = a.id) AS campaigns
      FROM audiences a
     WHERE ${after}
     ORDER BY a.created_at DESC, a.id DESC
     LIMIT ${query.limit}`.execute(db);
  return result.rows;
}

export type DeleteAudienceResult =
  | { ok: true; name: string; imported: number }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'in_use'; campaignIds: string[] };

/**
 * Deletes an audience no campaign uses, with its member partition and rejections, and records
 * who did; its
 * contacts stay (they are everyone's, with their consent history). The audience row is locked
 * first: a campaign created meanwhile waits for it (its foreign key), then finds it gone.
 */
export async function deleteAudience(
  db: Db,
  id: string,
  actor: string,
  now: Date,
): Promise<DeleteAudienceResult> {
  return inTransaction(db, async (trx) => {
    const audience = await sql<{ name: string; imported: number }>`
      SELECT name, imported FROM audiences WHERE id = ${id} FOR UPDATE`.execute(trx);
    const row = audience.rows[0];
    if (row === undefined) return { ok: false, code: 'not_found' };
    const users = await trx
      .selectFrom('campaigns')
      .select('id')
      .where('audience_id', '=', id)
      .orderBy('created_at')
      .limit(20)
      .execute();
    if (users.length > 0) return { ok: false, code: 'in_use', campaignIds: users.map((c) => c.id) };
    await sql`DROP TABLE IF EXISTS ${sql.id(memberPartition(id))}`.execute(trx);
    await trx.deleteFrom('audiences').where('id', '=', id).execute();
    const changes = { name: { before: row.name, after: null } };
    await recordOperatorChange(
      trx,
      { resourceType: 'audience', resourceId: id, action: 'delete', actor, changes },
      now,
    );
    return { ok: true, name: row.name, imported: row.imported };
  });
}
