import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Each audience keeps its own rows' values: a campaign renders from the membership's
// `attributes`, not from the contact's, which the newest upload overwrites. Memberships made
// before this column (or one statement at a time, without values) hold NULL and render from
// the contact's attributes as before: adding the column rewrites nothing. The import trigger
// now copies the new contacts' attributes into their memberships too.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE audience_members ADD COLUMN attributes jsonb`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION contacts_import_members() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      member_table text := current_setting('tandem.import_partition', true);
    BEGIN
      IF member_table IS NULL OR member_table = '' THEN
        RETURN NULL;
      END IF;
      EXECUTE format(
        'INSERT INTO %I (audience_id, contact_id, attributes)
         SELECT $1, id, attributes FROM imported_contacts',
        member_table)
      USING current_setting('tandem.import_audience')::uuid;
      RETURN NULL;
    END $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION contacts_import_members() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      member_table text := current_setting('tandem.import_partition', true);
    BEGIN
      IF member_table IS NULL OR member_table = '' THEN
        RETURN NULL;
      END IF;
      EXECUTE format(
        'INSERT INTO %I (audience_id, contact_id) SELECT $1, id FROM imported_contacts',
        member_table)
      USING current_setting('tandem.import_audience')::uuid;
      RETURN NULL;
    END $$`.execute(db);
  await sql`ALTER TABLE audience_members DROP COLUMN IF EXISTS attributes`.execute(db);
}
