import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config/env.ts';
import { root, startStack } from '../scripts/services/stack.ts';
import { benchEnvironment } from './support/bench-environment.ts';

/**
 * `npm run bench -- auth-flood [requests] [connections]`: the API of a full stack under a
 * flood of wrong API keys from one address, first keys of any shape (refused without a query
 * once the address is over AUTH_FAILURES_PER_MINUTE), then keys of the generated `tdm_` shape
 * (each one looked up), then malformed URLs (refused by the router before any hook), each flood
 * from a process of its own. Meanwhile `/healthz` is asked
 * again and again; its latency is compared with a baseline without a flood and with a control
 * flood at a route that does not exist (what the machine gives any cheap answer). Prints the
 * answers by status and /healthz p50/p99. The first flood, on a process whose code is not
 * compiled yet, is reported apart from the measured ones.
 * Target: /healthz p99 under 100 ms during the flood.
 */

const DATA_DIR = path.join('.data', 'bench-auth-flood');
const log = (line: string) => console.error(`[bench] ${line}`);

const quantile = (sorted: readonly number[], q: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
}

/** Asks /healthz one request at a time until `done` resolves; the latency of each answer. */
async function sampleHealth(apiUrl: string, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies: number[] = [];
  while (!finished) {
    const started = performance.now();
    const response = await fetch(`${apiUrl}/healthz`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`/healthz answered ${response.status}`);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return latencies;
}

/**
 * A flood from a child process (bench/support/flood-client.ts): `started` once it begins
 * (after the process's own start-up), `done` with its result.
 */
function flood(url: string, amount: number, connections: number, shape: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'bench/support/flood-client.ts'),
      url,
      String(amount),
      String(connections),
      shape,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('started\n')) markStarted();
  });
  const done = new Promise<{ statuses: Record<string, number>; [figure: string]: unknown }>(
    (resolve, reject) =>
      child.once('exit', (code) => {
        markStarted();
        if (code !== 0) reject(new Error(`flood-client exited with ${code}`));
        else resolve(JSON.parse(output.slice(output.indexOf('{'))));
      }),
  );
  return { started, done };
}

/** /healthz latency while a flood runs. */
async function during(
  apiUrl: string,
  path: string,
  shape: string,
  amount: number,
  connections: number,
) {
  const running = flood(`${apiUrl}${path}`, amount, connections, shape);
  await running.started;
  const samples = await sampleHealth(apiUrl, running.done);
  return { flood: await running.done, healthz_ms: summary(samples) };
}

export async function run(args: string[]): Promise<void> {
  const amount = Number(args[0] ?? 2_000);
  const connections = Number(args[1] ?? 50);
  await rm(path.join(root, DATA_DIR), { recursive: true, force: true });
  await benchEnvironment(DATA_DIR);
  console.log = (...parts: unknown[]) => console.error(...parts);
  const config = loadConfig();
  const stack = await startStack(config, log);
  try {
    // Warm up: connections to PostgreSQL and Temporal open, code paths compiled.
    await sampleHealth(stack.apiUrl, new Promise((resolve) => setTimeout(resolve, 1_000)));
    const baseline = await sampleHealth(
      stack.apiUrl,
      new Promise((resolve) => setTimeout(resolve, 3_000)),
    );

    // A first flood meets code that is not compiled yet (the JIT warms up in about a second):
    // reported on its own, then the floods that are measured.
    const cold = await during(stack.apiUrl, '/v1/campaigns', 'any', amount, connections);
    // The machine's own answer: the same flood at a route that does not exist (no key looked at).
    const control = await during(stack.apiUrl, '/no-such-route', 'none', amount, connections);
    const anyShape = await during(stack.apiUrl, '/v1/campaigns', 'any', amount, connections);
    const generated = await during(stack.apiUrl, '/v1/campaigns', 'generated', amount, connections);
    // Malformed URLs (bad escapes, an over-long id): refused by the router in the API's format.
    const malformed = await during(stack.apiUrl, '/v1/campaigns', 'malformed', amount, connections);
    const worst = Math.max(
      anyShape.healthz_ms.p99,
      generated.healthz_ms.p99,
      malformed.healthz_ms.p99,
    );
    console.info(
      JSON.stringify(
        {
          bench: 'auth-flood',
          auth_failures_per_minute: config.AUTH_FAILURES_PER_MINUTE,
          requests_per_flood: amount,
          connections,
          healthz_baseline_ms: summary(baseline),
          first_flood_cold_process: cold,
          control_unknown_route: control,
          wrong_keys_any_shape: anyShape,
          wrong_keys_generated_shape: generated,
          malformed_urls: malformed,
          target_healthz_p99_ms: 100,
          met: worst < 100,
          cores: availableParallelism(),
          load_average: loadavg().map((load) => Math.round(load * 100) / 100),
        },
        null,
        2,
      ),
    );
  } finally {
    await stack.stop();
  }
}
