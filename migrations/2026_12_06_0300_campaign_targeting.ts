import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Scheduled start and targeting. `start_at`: the broadcast waits (a durable timer in its
// workflow) until then, the campaign `scheduled` meanwhile. `filter`: a typed JSON filter on
// contact fields and attributes (api/schemas/contact-filter.ts); `exclude_audience_ids`:
// contacts of these audiences are not texted. Both are read when a range of the audience is
// materialised; contacts they leave out become `skipped` rows (`filtered_out`,
// `excluded_audience`) so the funnel accounts for everyone.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE campaigns
      ADD COLUMN start_at timestamptz,
      ADD COLUMN filter jsonb,
      ADD COLUMN exclude_audience_ids uuid[] NOT NULL DEFAULT '{}';
    ALTER TABLE campaigns DROP CONSTRAINT campaigns_status_check;
    ALTER TABLE campaigns ADD CONSTRAINT campaigns_status_check
      CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'waiting_for_drip', 'completed', 'cancelled', 'failed'));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE campaigns SET status = 'running' WHERE status = 'scheduled';
    ALTER TABLE campaigns DROP CONSTRAINT campaigns_status_check;
    ALTER TABLE campaigns ADD CONSTRAINT campaigns_status_check
      CHECK (status IN ('draft', 'running', 'paused', 'waiting_for_drip', 'completed', 'cancelled', 'failed'));
    ALTER TABLE campaigns
      DROP COLUMN IF EXISTS start_at,
      DROP COLUMN IF EXISTS filter,
      DROP COLUMN IF EXISTS exclude_audience_ids;
  `.execute(db);
}
