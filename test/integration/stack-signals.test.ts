import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/services/temporal.ts';
import {
  killAll,
  listening,
  processTree,
  stillRunning,
  type ProcessRecord,
} from '../support/process-tree.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const STOPPED_WITHIN_MS = 15_000;
const STACK_TIMEOUT_MS = 300_000;

interface RunningStack {
  npm: ChildProcess;
  ports: Record<string, number>;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * `npm run stack` exactly as a user runs it (npm, sh, node), on ports and a data directory of
 * its own; resolves once it says it is ready.
 */
async function startStack(dataDir: string): Promise<RunningStack> {
  const ports: Record<string, number> = {};
  for (const name of ['postgres', 'temporal', 'temporalUi', 'sandbox', 'api', 'workerMetrics'])
    ports[name] = await freePort();
  const { postgres, temporal, temporalUi, sandbox, api, workerMetrics } = ports;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(postgres),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporal}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${temporalUi}`,
    SANDBOX_PORT: String(sandbox),
    API_PORT: String(api),
    WORKER_METRICS_PORT: String(workerMetrics),
    PUBLIC_BASE_URL: `http://127.0.0.1:${api}`,
  };
  delete env.DATABASE_URL;
  const npm = spawn('npm', ['run', 'stack'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => npm.once('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('[stack] ready:')) resolve();
    };
    npm.stdout?.on('data', read);
    npm.stderr?.on('data', read);
    void exited.then((code) => reject(new Error(`npm run stack exited (${code}):\n${output}`)));
  });
  await ready;
  return { npm, ports, output: () => output, exited };
}

/** Polls until `done` holds or `ms` pass; answers whether it held. */
async function within(ms: number, done: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await done()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm run stack stops everything on one signal', () => {
  let dataDir: string;
  let recorded: ProcessRecord[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tandem-stack-'));
    // As root, PostgreSQL runs as a `postgres` user that must reach its cluster directory.
    await chmod(dataDir, 0o755);
  });
  afterEach(() => {
    killAll(recorded);
    recorded = [];
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const cases: { signal: NodeJS.Signals; to: 'npm' | 'stack' }[] = [
    { signal: 'SIGTERM', to: 'npm' },
    { signal: 'SIGINT', to: 'npm' },
    { signal: 'SIGTERM', to: 'stack' },
  ];
  for (const { signal, to } of cases) {
    it(
      `${signal} to the ${to === 'npm' ? 'npm process' : 'stack process (scripts/stack.ts)'}`,
      async () => {
        const stack = await startStack(dataDir);
        const npmPid = stack.npm.pid ?? -1;
        recorded = processTree(npmPid);
        const commands = recorded.map((record) => record.command);
        for (const part of ['postgres', 'start-dev', 'sandbox/main.ts', 'worker/main.ts'])
          expect(commands.some((command) => command.includes(part))).toBe(true);
        expect(commands.some((command) => command.includes('api/main.ts'))).toBe(true);
        // npm's own child is the stack itself (no shell or tsx between to swallow a signal).
        const stackProcess = recorded.find(
          (record) => record.parent === npmPid && record.command.includes('scripts/stack.ts'),
        );
        expect(stackProcess, commands.join('\n')).toBeDefined();
        for (const port of Object.values(stack.ports)) expect(await listening(port)).toBe(true);

        process.kill(to === 'npm' ? npmPid : (stackProcess?.pid ?? -1), signal);
        const stopped = await within(STOPPED_WITHIN_MS, async () => {
          if (stillRunning(recorded).length > 0) return false;
          const open = await Promise.all(Object.values(stack.ports).map(listening));
          return !open.includes(true);
        });
        const left = stillRunning(recorded).map((record) => `${record.pid} ${record.command}`);
        const bound: string[] = [];
        for (const [name, port] of Object.entries(stack.ports))
          if (await listening(port)) bound.push(name);
        expect({ stopped, left, bound }, stack.output()).toEqual({
          stopped: true,
          left: [],
          bound: [],
        });
        expect(await stack.exited).toBe(0);
        expect(stack.output()).toContain('[stack] stopped');
      },
      STACK_TIMEOUT_MS,
    );
  }
});
