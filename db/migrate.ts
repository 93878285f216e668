import { Migrator, type MigrationProvider } from 'kysely';
import { migrations } from '../migrations/index.ts';
import type { Db } from './connect.ts';

// Migrations are listed statically so they load the same under tsx, vitest and bundlers.
const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface MigrationReport {
  applied: string[];
}

/** Brings the schema to the newest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    const name = failed?.migrationName ?? 'unknown migration';
    throw new Error(`Migration ${name} failed: ${String(error)}`, { cause: error });
  }
  return { applied: results.map((result) => result.migrationName) };
}
