import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Suppression lists: numbers never to text, by normalised phone (E.164), so a number listed
// before it is ever a contact is still suppressed. The `global` list applies to every
// campaign; a campaign names the other lists it honours. Each imported entry is also a
// consent event (source `suppression_import`) naming its list.
// The frequency cap across campaigns: at most `max` texts per contact per rolling `days`
// (max 0: none). Existing campaigns get the default, 3 per 7 days.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE suppression_lists (
      id text PRIMARY KEY,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO suppression_lists (id, name) VALUES ('global', 'Global suppression list');
    -- No foreign keys to suppression_lists here or from consent_events: checked row by row
    -- they were a third of a 100,000-line import (lists are never deleted). The primary key
    -- answers the send-time probe, list by list.
    CREATE TABLE suppression_entries (
      list_id text NOT NULL,
      phone text NOT NULL,
      line integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (list_id, phone)
    );
    CREATE TABLE campaign_suppression_lists (
      campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
      list_id text NOT NULL REFERENCES suppression_lists(id),
      PRIMARY KEY (campaign_id, list_id)
    );
    ALTER TABLE consent_events
      ADD COLUMN suppression_list_id text;
    ALTER TABLE campaigns
      ADD COLUMN frequency_cap jsonb NOT NULL DEFAULT '{"max": 3, "days": 7}';
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE campaigns DROP COLUMN IF EXISTS frequency_cap;
    ALTER TABLE consent_events DROP COLUMN IF EXISTS suppression_list_id;
    DROP TABLE IF EXISTS campaign_suppression_lists, suppression_entries, suppression_lists;
  `.execute(db);
}
