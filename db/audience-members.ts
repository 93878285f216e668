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
 * `CREATE TABLE` of an audience's partition as a plain table, to be loaded in bulk and then
 * attached (`ALTER TABLE audience_members ATTACH PARTITION …`): its columns must be the
 * parent's.
 */
export function detachedPartitionDdl(audienceId: string): string {
  return `CREATE TABLE ${memberPartition(audienceId)} (
    audience_id uuid NOT NULL CHECK (audience_id = '${audienceId}'),
    contact_id bigint NOT NULL,
    attributes jsonb)`;
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

/**
 * The values a campaign on the audience renders for the contact: the audience's own, else
 * (a membership without values of its own, or none) the contact's.
 */
export async function memberAttributes(
  db: Kysely<Database>,
  audienceId: string,
  contactId: string,
): Promise<Record<string, string>> {
  const row = await db
    .selectFrom('contacts as c')
    .leftJoin('audience_members as am', (join) =>
      join.onRef('am.contact_id', '=', 'c.id').on('am.audience_id', '=', audienceId),
    )
    .select(['c.attributes as contact', 'am.attributes as member'])
    .where('c.id', '=', contactId)
    .executeTakeFirstOrThrow();
  return row.member ?? row.contact;
}
