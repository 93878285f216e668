import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Day-to-day operations through the API. A campaign can be archived (hidden from lists). A pool
// may override the global health thresholds (null: the process's HEALTH_* setting applies). An
// operator can pause a number (`paused`: never chosen until resumed), and every state change
// says who made it (`actor`; null: tandem itself). Every other operator change (a PATCH, an
// archive, a deletion) is one row of `operator_changes` with its fields before and after.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE campaigns ADD COLUMN archived_at timestamptz;
    CREATE INDEX campaigns_created ON campaigns (created_at, id);

    ALTER TABLE pools
      ADD COLUMN health_threshold double precision CHECK (health_threshold BETWEEN 0 AND 1),
      ADD COLUMN health_min_samples integer CHECK (health_min_samples > 0),
      ADD COLUMN health_cooldown_seconds integer CHECK (health_cooldown_seconds > 0),
      ADD COLUMN health_probation_seconds integer CHECK (health_probation_seconds > 0),
      ADD COLUMN health_probation_good integer CHECK (health_probation_good > 0),
      ADD COLUMN health_probation_min_samples integer CHECK (health_probation_min_samples > 0);

    ALTER TABLE sender_numbers DROP CONSTRAINT sender_numbers_state_check;
    ALTER TABLE sender_numbers ADD CONSTRAINT sender_numbers_state_check
      CHECK (state IN ('active', 'cooling', 'probation', 'retired', 'misconfigured', 'paused'));
    ALTER TABLE sender_state_changes ADD COLUMN actor text;

    CREATE TABLE operator_changes (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      resource_type text NOT NULL
        CHECK (resource_type IN ('campaign', 'pool', 'number', 'audience')),
      resource_id text NOT NULL,
      action text NOT NULL,
      actor text NOT NULL,
      changes jsonb NOT NULL DEFAULT '{}',
      reason text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX operator_changes_resource
      ON operator_changes (resource_type, resource_id, created_at, id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS operator_changes;
    ALTER TABLE sender_state_changes DROP COLUMN IF EXISTS actor;
    UPDATE sender_numbers SET state = 'active' WHERE state = 'paused';
    ALTER TABLE sender_numbers DROP CONSTRAINT sender_numbers_state_check;
    ALTER TABLE sender_numbers ADD CONSTRAINT sender_numbers_state_check
      CHECK (state IN ('active', 'cooling', 'probation', 'retired', 'misconfigured'));
    ALTER TABLE pools
      DROP COLUMN IF EXISTS health_threshold,
      DROP COLUMN IF EXISTS health_min_samples,
      DROP COLUMN IF EXISTS health_cooldown_seconds,
      DROP COLUMN IF EXISTS health_probation_seconds,
      DROP COLUMN IF EXISTS health_probation_good,
      DROP COLUMN IF EXISTS health_probation_min_samples;
    DROP INDEX IF EXISTS campaigns_created;
    ALTER TABLE campaigns DROP COLUMN IF EXISTS archived_at;
  `.execute(db);
}
