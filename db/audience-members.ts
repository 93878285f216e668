import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The partition of `audience_members` that holds one audience's members. */
export function memberPartition(audienceId: string): string {
  if (!UUID.test(audienceId)) throw new Error(`not an audience id: ${audienceId}`);
  return `audience_members_${audienceId.replaceAll('-', '').toLowerCase()}`;
}

/**
 * An audience's (empty) member partition, for members added one statement at a time; an
 * import builds its partition in bulk instead (`importAudience`).
 */
export async function createMemberPartition(
  db: Kysely<Database>,
  audienceId: string,
): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS ${sql.id(memberPartition(audienceId))}
              PARTITION OF audience_members FOR VALUES IN (${sql.lit(audienceId)})`.execute(db);
}
