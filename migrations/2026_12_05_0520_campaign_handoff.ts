import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Hand-off settings belong to the campaign, not the process: its mode and texts. NULL keeps
// the process default (HANDOFF_MODE, FOLLOWUP_TEXT, TEXT_US_TEXT), as for campaigns made
// before this column.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE campaigns
      ADD COLUMN handoff_mode text CHECK (handoff_mode IN ('imessage', 'text_us')),
      ADD COLUMN followup_text text,
      ADD COLUMN text_us_text text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE campaigns
      DROP COLUMN IF EXISTS handoff_mode,
      DROP COLUMN IF EXISTS followup_text,
      DROP COLUMN IF EXISTS text_us_text`.execute(db);
}
