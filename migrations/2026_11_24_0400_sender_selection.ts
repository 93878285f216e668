import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// State that sender selection shares across processes: the pool's smooth weighted
// round-robin state, daily new-recipient counts, outcomes for rolling health, and a log of
// sticky reassignments.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE pool_selection_state (
      pool_id uuid PRIMARY KEY REFERENCES pools(id) ON DELETE CASCADE,
      wrr jsonb NOT NULL DEFAULT '{}',
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE sender_daily_usage (
      number_id bigint NOT NULL REFERENCES sender_numbers(id) ON DELETE CASCADE,
      day date NOT NULL,
      new_recipients integer NOT NULL DEFAULT 0,
      PRIMARY KEY (number_id, day)
    );

    CREATE TABLE sender_outcomes (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      number_id bigint NOT NULL REFERENCES sender_numbers(id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('delivered', 'undelivered', 'failed')),
      error_code integer,
      attribution text NOT NULL CHECK (attribution IN ('good', 'bad', 'ignored')),
      at timestamptz NOT NULL
    );
    CREATE INDEX sender_outcomes_number_at ON sender_outcomes (number_id, at DESC);

    CREATE TABLE sticky_reassignments (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      pool_id uuid NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
      contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      from_number_id bigint REFERENCES sender_numbers(id) ON DELETE SET NULL,
      to_number_id bigint REFERENCES sender_numbers(id) ON DELETE SET NULL,
      reason text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sticky_reassignments_pool ON sticky_reassignments (pool_id, created_at);
    CREATE INDEX sticky_senders_number ON sticky_senders (number_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS sticky_senders_number;
    DROP TABLE IF EXISTS sticky_reassignments, sender_outcomes, sender_daily_usage,
      pool_selection_state;
  `.execute(db);
}
