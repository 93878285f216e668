import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Answers written by agents in the inbox may carry media (Blooio attachments).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE conversation_messages ADD COLUMN media_urls jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE conversation_messages DROP COLUMN IF EXISTS media_urls`.execute(db);
}
