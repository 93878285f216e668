import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createDb } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { ensureDatabase, startPostgres } from '../scripts/services/postgres.ts';
import { freePort } from '../scripts/services/temporal.ts';
import { writeAudienceCsv } from './support/audience-csv.ts';

const root = path.resolve(import.meta.dirname, '..');
const API_KEY = 'bench-api-key-123';

/** CPU time (user + system) a process has used so far, in ms. */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Peak resident set (VmHWM) of a process, in MB. */
async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function upload(port: number, file: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/audiences?name=bench',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'text/csv' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), req).catch(reject);
  });
}

async function rawCopy(url: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS bench_raw_copy (
      line integer, phone text, country text, area_code text, region text, time_zone text, attributes jsonb)`);
    await client.query('TRUNCATE bench_raw_copy');
    const started = performance.now();
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      client.query(copyFrom('COPY bench_raw_copy FROM STDIN')),
    );
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

async function startApi(databaseUrl: string, port: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'bench/support/api-server.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        API_PORT: String(port),
        API_KEY,
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`API exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
  });
  return child;
}

export async function run(args: string[]): Promise<void> {
  const rows = Number(args[0] ?? 1_000_000);
  const dataDir = path.join(root, '.data');
  await mkdir(path.join(dataDir, 'bench'), { recursive: true });
  const postgres = await startPostgres({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: path.join(dataDir, 'bench-pg'),
    port: await freePort(),
  });
  const url = await ensureDatabase(postgres.adminUrl, 'tandem_bench_ingest', { recreate: true });
  const db = createDb({ connectionString: url, max: 1 });
  await migrateToLatest(db);
  await db.destroy();

  const file = path.join(dataDir, 'bench', `audience-${rows}.csv`);
  const generated = await writeAudienceCsv(file, rows);
  const port = await freePort();
  const api = await startApi(url, port);
  try {
    const apiCpuBefore = await cpuMs(api.pid ?? 0);
    const loadBefore = loadavg()[0] ?? 0;
    const started = performance.now();
    const response = await upload(port, file);
    const endToEndMs = performance.now() - started;
    const apiCpu = (await cpuMs(api.pid ?? 0)) - apiCpuBefore;
    const loadAfter = loadavg()[0] ?? 0;
    const rss = await peakRssMb(api.pid ?? 0);
    if (response.status !== 201)
      throw new Error(`upload failed: ${response.status} ${response.body.slice(0, 500)}`);
    const summary: { rows_read: number; imported: number; duplicates: number; rejected: number } =
      JSON.parse(response.body);
    const rawCopyMs = await rawCopy(url, generated.normalisedFile);
    console.log(
      JSON.stringify(
        {
          bench: 'ingest',
          rows,
          csv_mb: Math.round((await stat(file)).size / 1e5) / 10,
          generated: { bad: generated.bad, duplicates: generated.duplicates },
          result: {
            rows_read: summary.rows_read,
            imported: summary.imported,
            duplicates: summary.duplicates,
            rejected: summary.rejected,
          },
          end_to_end_ms: Math.round(endToEndMs),
          rows_per_second: Math.round(rows / (endToEndMs / 1000)),
          api_peak_rss_mb: rss,
          // The API's own CPU time during the upload; the rest of the wall time is PostgreSQL
          // (the merge) or other work on the machine, which the load average tells.
          api_cpu_ms: apiCpu,
          load_avg_1m: { before: loadBefore, after: loadAfter },
          raw_copy_ms: Math.round(rawCopyMs),
          ratio_to_raw_copy: Math.round((endToEndMs / rawCopyMs) * 100) / 100,
          targets: { end_to_end_ms: 10_000, ratio_to_raw_copy: 4, api_peak_rss_mb: 256 },
          cores: availableParallelism(),
        },
        null,
        2,
      ),
    );
  } finally {
    api.kill('SIGTERM');
    await postgres.stop().catch(() => {});
  }
}
