import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import {
  ensureDatabase,
  startPostgres,
  type RunningPostgres,
} from '../../scripts/services/postgres.ts';
import {
  freePort,
  startTemporal,
  temporalCliPath,
  type RunningTemporal,
} from '../../scripts/services/temporal.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
    temporalAddress: string;
  }
}

const root = path.resolve(import.meta.dirname, '..', '..');

interface TestStack {
  postgres: RunningPostgres;
  temporal: RunningTemporal;
  templateDatabase: string;
}

/**
 * The integration and browser projects both list this file; vitest runs each project's
 * global setup (possibly from separate module instances), so the stack lives on globalThis
 * and is started by the first project, shared by the others, and stopped by the last.
 */
interface SharedStack {
  stack: Promise<TestStack>;
  users: number;
}
const key = Symbol.for('tandem.test-stack');
const shared = globalThis as typeof globalThis & { [key]?: SharedStack };

export async function setup(project: TestProject): Promise<void> {
  const entry = (shared[key] ??= { stack: startStack(), users: 0 });
  entry.users += 1;
  const { postgres, temporal, templateDatabase } = await entry.stack;
  project.provide('adminUrl', postgres.adminUrl);
  project.provide('templateDatabase', templateDatabase);
  project.provide('temporalAddress', temporal.address);
}

export async function teardown(): Promise<void> {
  const entry = shared[key];
  if (entry === undefined) return;
  entry.users -= 1;
  if (entry.users > 0) return;
  delete shared[key];
  const { postgres, temporal } = await entry.stack;
  await temporal.stop();
  await postgres.stop();
  if (postgres.embedded) {
    await rm(path.join(root, '.data', 'test-pg', String(process.pid)), {
      recursive: true,
      force: true,
    });
  }
}

/** Starts the real stack once per test run: PostgreSQL, a migrated template database, Temporal. */
async function startStack(): Promise<TestStack> {
  const started = Date.now();
  const [pgPort, temporalPort] = await Promise.all([freePort(), freePort()]);
  const postgres = await startPostgres({
    databaseUrl: process.env.DATABASE_URL || undefined,
    // A cluster per run: concurrent runs (several checkouts, CI) never share a data directory.
    dataDir: path.join(root, '.data', 'test-pg', String(process.pid)),
    port: pgPort,
  });
  const templateDatabase = `tandem_template_${process.pid}`;
  const templateUrl = await ensureDatabase(postgres.adminUrl, templateDatabase, { recreate: true });
  const db = createDb({ connectionString: templateUrl, max: 1 });
  await migrateToLatest(db);
  await db.destroy();

  const externalTemporal = process.env.TEMPORAL_ADDRESS;
  const temporal = await startTemporal({
    cli: temporalCliPath(root),
    address: externalTemporal || `127.0.0.1:${temporalPort}`,
    namespace: 'default',
    reuseExisting: Boolean(externalTemporal),
    logFile: path.join(root, '.data', 'test-temporal.log'),
  });
  console.log(
    `[test stack] PostgreSQL ${postgres.embedded ? 'embedded' : 'from DATABASE_URL'}, Temporal ${temporal.address}; ready in ${Date.now() - started} ms`,
  );
  return { postgres, temporal, templateDatabase };
}
