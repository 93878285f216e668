import path from 'node:path';
import type { Config } from '../../config/env.ts';
import { createDb } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { APP_DATABASE } from '../../config/database-url.ts';
import { ensureDatabase, redact, startPostgres, type RunningPostgres } from './postgres.ts';
import { startTsProcess, waitForHttp, type ManagedProcess } from './processes.ts';
import { startTemporal, temporalCliPath, type RunningTemporal } from './temporal.ts';

export const root = path.resolve(import.meta.dirname, '..', '..');

export interface RunningStack {
  databaseUrl: string;
  temporal: RunningTemporal;
  apiUrl: string;
  sandboxUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * PostgreSQL (DATABASE_URL or embedded), migrations, the Temporal dev server with its UI,
 * the sandbox carriers (unless real credentials are set), the worker and the API.
 */
export async function startStack(
  config: Readonly<Config>,
  log: (line: string) => void,
): Promise<RunningStack> {
  const postgres: RunningPostgres = await startPostgres({
    databaseUrl: config.DATABASE_URL,
    dataDir: path.join(root, config.DATA_DIR, 'pg'),
    port: config.EMBEDDED_PG_PORT,
  });
  const databaseUrl =
    config.DATABASE_URL ?? (await ensureDatabase(postgres.adminUrl, APP_DATABASE));
  const db = createDb({ connectionString: databaseUrl, max: 1 });
  const { applied } = await migrateToLatest(db);
  await db.destroy();
  log(
    `PostgreSQL ${postgres.embedded ? 'embedded' : 'from DATABASE_URL'} at ${redact(databaseUrl)}; ${applied.length} migration(s) applied`,
  );

  const temporal = await startTemporal({
    cli: temporalCliPath(root),
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    uiPort: Number(new URL(config.TEMPORAL_UI_URL).port || 8233),
    dbFile: path.join(root, config.DATA_DIR, 'temporal.db'),
    logFile: path.join(root, config.DATA_DIR, 'temporal.log'),
  });
  log(
    `Temporal at ${temporal.address}${temporal.uiUrl === undefined ? ' (already running)' : ` with UI ${temporal.uiUrl}`}`,
  );

  const env = { DATABASE_URL: databaseUrl };
  const processes: ManagedProcess[] = [];
  const stop = async () => {
    for (const managed of processes.reverse()) await managed.stop();
    await temporal.stop();
    await postgres.stop();
  };
  try {
    let sandboxUrl: string | undefined;
    if (config.sandbox) {
      const sandbox = startTsProcess('sandbox', 'sandbox/main.ts', env);
      processes.push(sandbox);
      sandboxUrl = config.sandboxUrl;
      await waitForHttp(`${sandboxUrl}/_sandbox/health`, 30_000, sandbox.child);
      log(`Sandbox carriers (Twilio + Blooio) at ${sandboxUrl}`);
    }
    const worker = startTsProcess('worker', 'worker/main.ts', env);
    processes.push(worker);
    const api = startTsProcess('api', 'api/main.ts', {
      ...env,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    });
    processes.push(api);
    const apiUrl = `http://${config.API_HOST}:${config.API_PORT}`;
    await waitForHttp(`${apiUrl}/healthz`, 60_000, api.child);
    log(`API at ${apiUrl} (docs ${apiUrl}/docs)`);
    return { databaseUrl, temporal, apiUrl, sandboxUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
