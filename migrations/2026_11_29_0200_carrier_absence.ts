import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// A carrier may still be working on a request whose client gave up (its answer lost, or its
// sender gone): one empty lookup proves little. `carrier_absent_at` is when the carrier first
// had no trace of the row's message; only a second empty lookup, later, lets it be sent again.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE messages ADD COLUMN carrier_absent_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE messages DROP COLUMN IF EXISTS carrier_absent_at`.execute(db);
}
