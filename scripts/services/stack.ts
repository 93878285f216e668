import path from 'node:path';
import type { Config } from '../../config/env.ts';
import { createDb } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { APP_DATABASE } from '../../config/database-url.ts';
import { ensureDatabase, redact, startPostgres, type RunningPostgres } from './postgres.ts';
import { startTsProcess, waitForHttp } from './processes.ts';
import { ServiceSet } from './service-set.ts';
import { startTemporal, temporalCliPath, type RunningTemporal } from './temporal.ts';

export const root = path.resolve(import.meta.dirname, '..', '..');

export interface RunningStack {
  databaseUrl: string;
  temporal: RunningTemporal;
  apiUrl: string;
  sandboxUrl: string | undefined;
  /** Stops every service, the API first and PostgreSQL last (same as `services.stop()`). */
  stop(): Promise<void>;
}

/**
 * PostgreSQL (DATABASE_URL or embedded), migrations, the Temporal dev server with its UI,
 * the sandbox carriers (unless real credentials are set), the worker and the API. Each service
 * joins `services` as soon as it is spawned; when `services` starts stopping meanwhile (a
 * signal during start-up), this throws StackStopping once what it was waiting for is back.
 */
export async function startStack(
  config: Readonly<Config>,
  log: (line: string) => void,
  services: ServiceSet = new ServiceSet(log),
): Promise<RunningStack> {
  const dataDir = path.resolve(root, config.DATA_DIR);
  try {
    const postgres: RunningPostgres = await startPostgres({
      databaseUrl: config.DATABASE_URL,
      dataDir: path.join(dataDir, 'pg'),
      port: config.EMBEDDED_PG_PORT,
      onSpawn: (stop) => services.add('PostgreSQL', stop),
    });
    services.check();
    const databaseUrl =
      config.DATABASE_URL ?? (await ensureDatabase(postgres.adminUrl, APP_DATABASE));
    const db = createDb({ connectionString: databaseUrl, max: 1 });
    const { applied } = await migrateToLatest(db).finally(() => db.destroy());
    log(
      `PostgreSQL ${postgres.embedded ? 'embedded' : 'from DATABASE_URL'} at ${redact(databaseUrl)}; ${applied.length} migration(s) applied`,
    );
    services.check();

    const temporal = await startTemporal({
      cli: temporalCliPath(root),
      address: config.TEMPORAL_ADDRESS,
      namespace: config.TEMPORAL_NAMESPACE,
      uiPort: Number(new URL(config.TEMPORAL_UI_URL).port || 8233),
      dbFile: path.join(dataDir, 'temporal.db'),
      logFile: path.join(dataDir, 'temporal.log'),
      onSpawn: (stop) => services.add('Temporal', stop),
    });
    log(
      `Temporal at ${temporal.address}${temporal.uiUrl === undefined ? ' (already running)' : ` with UI ${temporal.uiUrl}`}`,
    );
    services.check();

    const env = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir };
    const start = (name: string, entry: string, extra: NodeJS.ProcessEnv = {}) => {
      const started = startTsProcess(name, entry, { ...env, ...extra });
      services.add(name, started.stop);
      return started;
    };
    let sandboxUrl: string | undefined;
    if (config.sandbox) {
      const sandbox = start('sandbox', 'sandbox/main.ts');
      sandboxUrl = config.sandboxUrl;
      await waitForHttp(`${sandboxUrl}/_sandbox/health`, 30_000, sandbox.child);
      log(`Sandbox carriers (Twilio + Blooio) at ${sandboxUrl}`);
      services.check();
    }
    const worker = start('worker', 'worker/main.ts');
    const api = start('api', 'api/main.ts', { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    const apiUrl = `http://${config.API_HOST}:${config.API_PORT}`;
    await waitForHttp(`${apiUrl}/healthz`, 60_000, api.child);
    services.check();
    log(`API at ${apiUrl} (docs ${apiUrl}/docs, metrics ${apiUrl}/metrics)`);
    if (config.WORKER_METRICS_PORT !== 0) {
      const workerMetrics = `http://${config.WORKER_METRICS_HOST}:${config.WORKER_METRICS_PORT}/metrics`;
      await waitForHttp(workerMetrics, 60_000, worker.child);
      services.check();
      log(`Worker metrics at ${workerMetrics}`);
    }
    return { databaseUrl, temporal, apiUrl, sandboxUrl, stop: () => services.stop() };
  } catch (error) {
    await services.stop();
    throw error;
  }
}
