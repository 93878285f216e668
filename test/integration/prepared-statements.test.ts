import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/connect.ts';
import { PREPARED } from '../../db/prepared.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';

/** The statements prepared on the connection that runs this read (the pool has one). */
const preparedOn = async (db: Db) =>
  (
    await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(db)
  ).rows.map((row) => row.statement);

describe('statements marked PREPARED', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.destroy();
  });

  const marked = (db: Db, ids: string[]) =>
    sql<{ n: number }>`${PREPARED}SELECT count(*)::int AS n FROM unnest(${ids}::bigint[])`.execute(
      db,
    );

  it('are parsed once per connection and answer as before, unmarked ones are not kept', async () => {
    const db = createDb({ connectionString: database.url, max: 1 });
    try {
      expect((await marked(db, ['1', '2'])).rows).toEqual([{ n: 2 }]);
      expect((await marked(db, ['1', '2', '3'])).rows).toEqual([{ n: 3 }]);
      await sql`SELECT 1 AS unmarked`.execute(db);
      const kept = await preparedOn(db);
      expect(kept).toHaveLength(1);
      // Planned for their values each time: a generic plan made on a small table would stay.
      const mode = await sql<{ plan_cache_mode: string }>`SHOW plan_cache_mode`.execute(db);
      expect(mode.rows[0]?.plan_cache_mode).toBe('force_custom_plan');
      expect(kept[0]).toContain(
        '/* prepared */ SELECT count(*)::int AS n FROM unnest($1::bigint[])',
      );
    } finally {
      await db.destroy();
    }
  });

  it('run unnamed when the pool is told not to prepare (a pooler that cannot keep them)', async () => {
    const db = createDb({ connectionString: database.url, max: 1, preparedStatements: false });
    try {
      expect((await marked(db, ['7'])).rows).toEqual([{ n: 1 }]);
      expect(await preparedOn(db)).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('still report errors with their values, and the connection stays usable', async () => {
    const db = createDb({ connectionString: database.url, max: 1 });
    try {
      await expect(marked(db, ['not a number'])).rejects.toThrow(/invalid input syntax/);
      expect((await marked(db, ['5'])).rows).toEqual([{ n: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});
