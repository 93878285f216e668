import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// The most segments one message of a campaign may take; a longer render is skipped as
// `too_many_segments`. The API sets it on every new campaign (4 unless asked); campaigns
// created before keep 10, about the longest message they could have sent (1,600 characters).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE campaigns ADD COLUMN max_segments integer NOT NULL DEFAULT 10
            CHECK (max_segments BETWEEN 1 AND 10)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE campaigns DROP COLUMN IF EXISTS max_segments`.execute(db);
}
