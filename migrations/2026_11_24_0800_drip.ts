import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Drip steps run from a Temporal Schedule per campaign: when it fires (an interval or a cron
// expression, in a time zone). Messages of a step are found by (campaign, step, status).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE campaigns ADD COLUMN drip_schedule jsonb NOT NULL DEFAULT '{"every_seconds":3600,"time_zone":"UTC"}';
    CREATE INDEX messages_campaign_step_status ON messages (campaign_id, step, status);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS messages_campaign_step_status;
    ALTER TABLE campaigns DROP COLUMN IF EXISTS drip_schedule;
  `.execute(db);
}
