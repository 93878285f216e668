import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// An import COPYs new contacts straight into `contacts`, and COPY has no RETURNING: this
// statement trigger hands the new rows' ids to the audience being imported, which the
// import names for the length of its COPY with two transaction-local settings. Every other
// insert finds them unset and the trigger does nothing.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION contacts_import_members() RETURNS trigger LANGUAGE plpgsql AS $$
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
  await sql`
    CREATE TRIGGER contacts_import_members
      AFTER INSERT ON contacts REFERENCING NEW TABLE AS imported_contacts
      FOR EACH STATEMENT EXECUTE FUNCTION contacts_import_members()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER contacts_import_members ON contacts`.execute(db);
  await sql`DROP FUNCTION contacts_import_members()`.execute(db);
}
