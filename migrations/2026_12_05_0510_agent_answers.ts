import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Answers written by agents in the inbox may carry media (Blooio attachments). A Blooio
// message whose final status never came is asked about: `status_checks` counts the times.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE conversation_messages
      ADD COLUMN media_urls jsonb,
      ADD COLUMN status_checks integer NOT NULL DEFAULT 0`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE conversation_messages
      DROP COLUMN IF EXISTS media_urls,
      DROP COLUMN IF EXISTS status_checks`.execute(db);
}
