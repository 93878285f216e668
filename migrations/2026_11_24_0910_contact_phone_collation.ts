import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// E.164 numbers are `+` and digits: byte order is their order. With the database's locale
// every comparison in the phone index went through strcoll; an import upserting a million
// contacts spent a tenth of its time there.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE contacts ALTER COLUMN phone TYPE text COLLATE "C"`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE contacts ALTER COLUMN phone TYPE text COLLATE "default"`.execute(db);
}
