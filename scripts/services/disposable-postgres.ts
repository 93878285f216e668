import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { APP_DATABASE } from '../../config/database-url.ts';
import { embeddedAdminUrl, embeddedServer, ensureDatabase, waitForPostgres } from './postgres.ts';
import { freePort } from './temporal.ts';

export interface DisposablePostgres {
  /** A migrated `tandem` database on this server. */
  url: string;
  /** Stops the server (a fast shutdown: sessions are terminated, as in a restart). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it for good and deletes its data. */
  close(): Promise<void>;
}

/**
 * A PostgreSQL server of its own, on a free port with its cluster in a temporary directory,
 * for tests that stop and restart the database under a running stack (the shared test
 * server cannot be stopped: every other test file uses it).
 */
export async function startDisposablePostgres(
  options: { log?: (line: string) => void } = {},
): Promise<DisposablePostgres> {
  const directory = await mkdtemp(path.join(tmpdir(), 'tandem-pg-'));
  // As root, the server runs as a `postgres` user that must reach the cluster directory.
  await chmod(directory, 0o755);
  const port = await freePort();
  const server = embeddedServer({
    databaseDir: path.join(directory, 'data'),
    port,
    log: options.log,
  });
  const adminUrl = embeddedAdminUrl(port);
  const start = async () => {
    await server.start();
    await waitForPostgres(adminUrl, 15_000);
  };
  try {
    await server.initialise();
    await start();
    const url = await ensureDatabase(adminUrl, APP_DATABASE);
    const db = createDb({ connectionString: url, max: 1 });
    await migrateToLatest(db).finally(() => db.destroy());
    return {
      url,
      stop: () => server.stop(),
      start,
      close: async () => {
        await server.stop();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.stop().catch(() => {});
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
