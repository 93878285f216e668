import { rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config/env.ts';
import { createDb } from '../db/connect.ts';
import { root, startStack } from '../scripts/services/stack.ts';
import { seed, seedActivity } from './console.ts';
import { benchEnvironment } from './support/bench-environment.ts';

/**
 * `npm run bench -- metrics [contacts] [rounds]`: how long a scrape of the API's `/metrics`
 * takes, on an empty database (the baseline) and with a campaign of `contacts` (100,000)
 * messages seeded through SQL, first finished, then running (a running campaign adds its
 * progress and stall queries). For each: the median and worst of `rounds` scrapes that read
 * PostgreSQL (the cache expired: METRICS_CACHE_SECONDS apart) and of as many scrapes answered
 * from the cache, and the snapshot's own read time as the API reports it.
 */

const DATA_DIR = path.join('.data', 'bench-metrics');
const log = (line: string) => console.error(`[bench] ${line}`);
const CACHE_SECONDS = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const round = (ms: number) => Math.round(ms * 10) / 10;

async function scrape(url: string, key: string): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${body}`);
  return { ms: performance.now() - started, body };
}

const snapshotMs = (body: string) =>
  Number(/^tandem_metrics_snapshot_seconds (\S+)$/m.exec(body)?.[1] ?? NaN) * 1000;

async function measure(url: string, key: string, rounds: number) {
  const fresh: number[] = [];
  const cached: number[] = [];
  const reads: number[] = [];
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    await sleep(CACHE_SECONDS * 1000 + 100);
    const first = await scrape(url, key);
    fresh.push(first.ms);
    reads.push(snapshotMs(first.body));
    bytes = first.body.length;
    cached.push((await scrape(url, key)).ms);
  }
  return {
    scrape_reading_postgres_ms: { median: round(median(fresh)), max: round(Math.max(...fresh)) },
    scrape_from_cache_ms: { median: round(median(cached)), max: round(Math.max(...cached)) },
    snapshot_read_ms: { median: round(median(reads)), max: round(Math.max(...reads)) },
    exposition_bytes: bytes,
  };
}

export async function run(args: string[]): Promise<void> {
  const contacts = Number(args[0] ?? 100_000);
  const rounds = Number(args[1] ?? 7);
  await rm(path.join(root, DATA_DIR), { recursive: true, force: true });
  await benchEnvironment(DATA_DIR);
  process.env.METRICS_CACHE_SECONDS = String(CACHE_SECONDS);
  console.log = (...parts: unknown[]) => console.error(...parts);
  const config = loadConfig();
  const stack = await startStack(config, log);
  const db = createDb({ connectionString: stack.databaseUrl, max: 2 });
  const url = `${stack.apiUrl}/metrics`;
  try {
    const empty = await measure(url, config.API_KEY, rounds);
    const seedStarted = performance.now();
    const { audienceId, poolId } = await seed(db, contacts);
    const response = await fetch(`${stack.apiUrl}/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Bench metrics',
        audience_id: audienceId,
        sms_pool_id: poolId,
        steps: [{ template: 'Hi {{first_name}}, spring sale today.' }],
      }),
    });
    if (response.status !== 201)
      throw new Error(`creating the campaign: ${response.status} ${await response.text()}`);
    const { id: campaignId } = z.object({ id: z.string() }).parse(await response.json());
    await seedActivity(db, campaignId, poolId, 0);
    log(`seeded ${contacts} messages in ${Math.round(performance.now() - seedStarted)} ms`);
    const finished = await measure(url, config.API_KEY, rounds);
    await db
      .updateTable('campaigns')
      .set({ status: 'running', finished_at: null })
      .where('id', '=', campaignId)
      .execute();
    const running = await measure(url, config.API_KEY, rounds);
    console.info(
      JSON.stringify(
        {
          bench: 'metrics',
          contacts,
          rounds,
          cache_seconds: CACHE_SECONDS,
          baseline_empty_database: empty,
          finished_campaign: finished,
          running_campaign: running,
        },
        null,
        2,
      ),
    );
  } finally {
    await db.destroy();
    await stack.stop();
  }
}
