import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Each audience's members are a partition of their own. An import loads its partition as a
// plain table and attaches it at the end: the foreign keys are then checked in one join
// instead of two lookups per row (the bulk of a million-row import's time before).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audience_members_partitioned (
      audience_id uuid NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
      contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      PRIMARY KEY (audience_id, contact_id)
    ) PARTITION BY LIST (audience_id);
    DO $$
    DECLARE audience uuid;
    BEGIN
      FOR audience IN SELECT id FROM audiences LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF audience_members_partitioned FOR VALUES IN (%L)',
                       'audience_members_' || replace(audience::text, '-', ''), audience);
      END LOOP;
    END $$;
    INSERT INTO audience_members_partitioned (audience_id, contact_id)
      SELECT audience_id, contact_id FROM audience_members;
    DROP TABLE audience_members;
    ALTER TABLE audience_members_partitioned RENAME TO audience_members;
    ALTER INDEX audience_members_partitioned_pkey RENAME TO audience_members_pkey;
    ALTER TABLE audience_members
      RENAME CONSTRAINT audience_members_partitioned_audience_id_fkey TO audience_members_audience_id_fkey;
    ALTER TABLE audience_members
      RENAME CONSTRAINT audience_members_partitioned_contact_id_fkey TO audience_members_contact_id_fkey;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audience_members_plain (
      audience_id uuid NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
      contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      PRIMARY KEY (audience_id, contact_id)
    );
    INSERT INTO audience_members_plain SELECT audience_id, contact_id FROM audience_members;
    DROP TABLE audience_members CASCADE;
    ALTER TABLE audience_members_plain RENAME TO audience_members;
    ALTER INDEX audience_members_plain_pkey RENAME TO audience_members_pkey;
    ALTER TABLE audience_members
      RENAME CONSTRAINT audience_members_plain_audience_id_fkey TO audience_members_audience_id_fkey;
    ALTER TABLE audience_members
      RENAME CONSTRAINT audience_members_plain_contact_id_fkey TO audience_members_contact_id_fkey;
  `.execute(db);
}
