import { randomBytes } from 'node:crypto';
import { Migrator, sql, type MigrationProvider } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connect.ts';
import { migrations } from '../../migrations/index.ts';
import { databaseUrl, dropDatabase, ensureDatabase } from '../../scripts/services/postgres.ts';

const provider: MigrationProvider = { getMigrations: async () => migrations };

describe('migrations', () => {
  const name = `tandem_migrations_${randomBytes(6).toString('hex')}`;
  let db: Db;
  let migrator: Migrator;
  beforeAll(async () => {
    await ensureDatabase(inject('adminUrl'), name);
    db = createDb({ connectionString: databaseUrl(inject('adminUrl'), name), max: 2 });
    migrator = new Migrator({ db, provider });
  });
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(inject('adminUrl'), name);
  });

  const members = async () =>
    (
      await sql<{ audience_id: string; contact_id: string }>`
        SELECT audience_id, contact_id::text FROM audience_members ORDER BY 1, 2`.execute(db)
    ).rows;

  it('moves existing audience members into partitions of their own, and back', async () => {
    const before = await migrator.migrateTo('2026_11_24_0800_drip');
    expect(before.error).toBeUndefined();
    await sql`
      INSERT INTO audiences (id, name) VALUES
        ('00000000-0000-0000-0000-00000000000a', 'a'), ('00000000-0000-0000-0000-00000000000b', 'b');
      INSERT INTO contacts (phone, country) VALUES ('+14155550101', 'US'), ('+14155550102', 'US');
      INSERT INTO audience_members (audience_id, contact_id)
        SELECT a.id, c.id FROM audiences a, contacts c WHERE NOT (a.name = 'b' AND c.phone = '+14155550102');
    `.execute(db);
    const seeded = await members();
    expect(seeded).toHaveLength(3);

    const latest = await migrator.migrateToLatest();
    expect(latest.error).toBeUndefined();
    expect(await members()).toEqual(seeded);
    const partitions = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'audience_members'::regclass ORDER BY 1`.execute(db);
    expect(partitions.rows.map((row) => row.name)).toEqual([
      'audience_members_0000000000000000000000000000000a',
      'audience_members_0000000000000000000000000000000b',
    ]);
    // The foreign keys hold on the partitioned table: a member needs its contact.
    await expect(
      sql`INSERT INTO audience_members VALUES ('00000000-0000-0000-0000-00000000000a', 999)`.execute(
        db,
      ),
    ).rejects.toThrow(/foreign key/);
    await sql`DELETE FROM audiences WHERE name = 'b'`.execute(db);
    expect(await members()).toHaveLength(2);

    const back = await migrator.migrateTo('2026_11_24_0800_drip');
    expect(back.error).toBeUndefined();
    expect(await members()).toHaveLength(2);
  });
});
