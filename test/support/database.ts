import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connect.ts';
import { databaseUrl, dropDatabase, ensureDatabase } from '../../scripts/services/postgres.ts';

export interface TestDatabase {
  db: Db;
  url: string;
  destroy(): Promise<void>;
}

/** A fresh, migrated database of this test file's own, cloned from the run's template. */
export async function freshDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const name = `tandem_test_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(adminUrl, name, { template: inject('templateDatabase') });
  const url = databaseUrl(adminUrl, name);
  const db = createDb({ connectionString: url, max: 10 });
  return {
    db,
    url,
    destroy: async () => {
      await db.destroy();
      await dropDatabase(adminUrl, name);
    },
  };
}
