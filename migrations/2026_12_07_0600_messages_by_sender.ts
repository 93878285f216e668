import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// A number's activity over time (the console's delivery-rate chart, GET
// /v1/pools/:id/numbers/:phone/activity) reads the messages one sender sent in a time range:
// without this index that is a scan of every message ever sent.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX messages_from_number_sent ON messages (from_number_id, sent_at)
      WHERE from_number_id IS NOT NULL AND sent_at IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS messages_from_number_sent;`.execute(db);
}
