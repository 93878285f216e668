import path from 'node:path';
import { loadEnvFile } from '../config/env-file.ts';
import { loadConfig } from '../config/env.ts';
import { createDb } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { APP_DATABASE } from '../config/database-url.ts';
import { ensureDatabase, redact, startPostgres } from './services/postgres.ts';

/**
 * `npm run migrate`: brings DATABASE_URL's schema to the newest migration (run it once per
 * deploy). Without DATABASE_URL it migrates the embedded PostgreSQL the demo uses.
 */
loadEnvFile();
const config = loadConfig();
const postgres = await startPostgres({
  databaseUrl: config.DATABASE_URL,
  dataDir: path.resolve(import.meta.dirname, '..', config.DATA_DIR, 'pg'),
  port: config.EMBEDDED_PG_PORT,
});
const url = config.DATABASE_URL ?? (await ensureDatabase(postgres.adminUrl, APP_DATABASE));
const db = createDb({ connectionString: url, max: 1 });
try {
  const { applied } = await migrateToLatest(db);
  console.log(
    `[migrate] ${redact(url)}: ${applied.length === 0 ? 'already up to date' : `applied ${applied.join(', ')}`}`,
  );
} finally {
  await db.destroy();
  await postgres.stop();
}
