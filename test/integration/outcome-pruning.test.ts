import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneOutcomes } from '../../db/number-health.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { seedPool } from '../support/seed.ts';

describe('pruneOutcomes', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('deletes outcomes older than the cut-off, in batches, and keeps the rest', async () => {
    const { db } = database;
    await seedPool(db, [{ phone: '+14155550901' }]);
    await sql`
      INSERT INTO sender_outcomes (number_id, status, error_code, attribution, at)
      SELECT (SELECT id FROM sender_numbers WHERE phone = '+14155550901'), 'delivered', NULL, 'good',
             now() - make_interval(hours => g)
        FROM generate_series(1, 100) AS g`.execute(db);
    const cutoff = new Date(Date.now() - 48.5 * 3600_000);
    expect(await pruneOutcomes(db, cutoff, 20)).toBe(20);
    let removed = 20;
    for (let batch = await pruneOutcomes(db, cutoff, 20); batch > 0;) {
      removed += batch;
      batch = await pruneOutcomes(db, cutoff, 20);
    }
    expect(removed).toBe(52);
    const left = await sql<{ n: number; oldest: Date }>`
      SELECT count(*)::int AS n, min(at) AS oldest FROM sender_outcomes`.execute(db);
    expect(left.rows[0]?.n).toBe(48);
    expect(left.rows[0]?.oldest.getTime()).toBeGreaterThanOrEqual(cutoff.getTime());
  });
});
