import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// A message deferred by a state's legal holiday or Sunday ban says which one (e.g. "Mardi Gras,
// a legal holiday in LA") beside its wait_reason.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE messages ADD COLUMN wait_detail text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE messages DROP COLUMN IF EXISTS wait_detail`.execute(db);
}
