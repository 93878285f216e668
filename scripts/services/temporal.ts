import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';

export const SEARCH_ATTRIBUTES = { CampaignId: 'Keyword', CampaignStatus: 'Keyword' } as const;

export interface RunningTemporal {
  address: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

/** The CLI that `scripts/setup.mjs` found or built. */
export function temporalCliPath(root: string): string {
  if (process.env.TEMPORAL_CLI !== undefined && process.env.TEMPORAL_CLI !== '')
    return process.env.TEMPORAL_CLI;
  const tools = path.join(root, '.data', 'tools.json');
  if (existsSync(tools)) {
    const parsed: unknown = JSON.parse(readFileSync(tools, 'utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'temporal' in parsed &&
      typeof parsed.temporal === 'string'
    ) {
      return parsed.temporal;
    }
  }
  throw new Error(
    'Temporal CLI not set up: run `node scripts/setup.mjs` first (npm run demo / npm test do it).',
  );
}

/**
 * Starts `temporal server start-dev` (SQLite, UI, search attributes registered), or
 * connects to `address` when something already answers there (a cluster, or a dev
 * server started earlier) and makes sure the search attributes exist.
 */
export async function startTemporal(options: {
  cli: string;
  address: string;
  namespace: string;
  uiPort?: number | undefined;
  dbFile?: string | undefined;
  logFile?: string | undefined;
  reuseExisting?: boolean;
  /** Gets the dev server's stop as soon as it is spawned, before it answers. */
  onSpawn?: (stop: () => Promise<void>) => void;
}): Promise<RunningTemporal> {
  const [host = '127.0.0.1', portText = '7233'] = options.address.split(':');
  const port = Number(portText);
  if (options.reuseExisting !== false && (await portOpen(host, port))) {
    await waitForFrontend(options.address, 10_000);
    ensureSearchAttributes(options.cli, options.address, options.namespace);
    return { address: options.address, uiUrl: undefined, stop: async () => {} };
  }
  const args = [
    'server',
    'start-dev',
    '--ip',
    host,
    '--port',
    String(port),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
  ];
  args.push(
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => [
      '--search-attribute',
      `${name}=${type}`,
    ]),
  );
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile !== undefined) {
    // The dev server's file survives a crash of any process with WAL and NORMAL sync (only a
    // power loss can take its last commits); a full fsync per write made it the bottleneck.
    args.push('--db-filename', options.dbFile);
    args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  const out = options.logFile === undefined ? 'ignore' : openSync(options.logFile, 'a');
  const child: ChildProcess = spawn(options.cli, args, { stdio: ['ignore', out, out] });
  const stop = () => stopChild(child);
  options.onSpawn?.(stop);
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code) =>
      reject(
        new Error(
          `temporal server start-dev exited with code ${code ?? 'null'} (log: ${options.logFile ?? 'none'})`,
        ),
      ),
    );
  });
  await Promise.race([waitForFrontend(options.address, 60_000), exited]);
  exited.catch(() => {});
  return {
    address: options.address,
    uiUrl: options.uiPort === undefined ? undefined : `http://${host}:${options.uiPort}`,
    stop,
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  // A child ended by a signal (a Ctrl-C reaches it too) has a signalCode and no exitCode.
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await done;
  clearTimeout(timer);
}

function ensureSearchAttributes(cli: string, address: string, namespace: string): void {
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
    const result = spawnSync(
      cli,
      [
        'operator',
        'search-attribute',
        'create',
        '--address',
        address,
        '--namespace',
        namespace,
        '--name',
        name,
        '--type',
        type,
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0 && !/already exists/i.test(`${result.stderr}${result.stdout}`)) {
      throw new Error(
        `Could not register search attribute ${name}: ${result.stderr || result.stdout}`,
      );
    }
  }
}

async function waitForFrontend(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`Temporal at ${address} did not answer: ${String(error)}`, {
          cause: error,
        });
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

export function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
