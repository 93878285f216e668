import path from 'node:path';
import { sql } from 'kysely';
import { createDb, type Db } from '../db/connect.ts';
import { healthSettings } from '../db/health-settings.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { reserveSenders, type SenderRequest } from '../db/sender-reservations.ts';
import { loadConfig } from '../config/env.ts';
import type { PoolNumber } from '../core/sender-pool.ts';
import { selectSenders, type SelectionRequest } from '../core/sender-selection.ts';
import { ensureDatabase, startPostgres } from '../scripts/services/postgres.ts';
import { freePort } from '../scripts/services/temporal.ts';

const root = path.resolve(import.meta.dirname, '..');
const NUMBERS = 1_000;
const AREA_CODES = Array.from({ length: 100 }, (_, i) => String(201 + i * 7));
const regionOf = (i: number): string => `S${i % 25}`;

async function seed(
  db: Db,
  contacts: number,
): Promise<{ poolId: string; requests: SenderRequest[] }> {
  const pool = await db
    .insertInto('pools')
    .values({ name: 'bench', provider: 'twilio', long_code_weight: 5, toll_free_weight: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`
    INSERT INTO sender_numbers (pool_id, phone, kind, weight, mps, area_code, region)
    SELECT ${pool.id}, '+1' || (200 + g % 100 * 7 + 1)::text || lpad(g::text, 7, '0'),
           CASE WHEN g % 10 = 0 THEN 'toll_free' ELSE 'long_code' END, 1 + g % 3, 100,
           CASE WHEN g % 10 = 0 THEN NULL ELSE (201 + g % 100 * 7)::text END,
           CASE WHEN g % 10 = 0 THEN NULL ELSE 'S' || (g % 100 % 25)::text END
      FROM generate_series(0, ${NUMBERS - 1}) AS g`.execute(db);
  const rows = await sql<{ id: string; phone: string; g: number }>`
    INSERT INTO contacts (phone, country, area_code, region)
    SELECT '+1555' || lpad(g::text, 7, '0'), 'US', NULL, NULL FROM generate_series(0, ${contacts - 1}) AS g
    RETURNING id::text AS id, phone, (substr(phone, 5))::int AS g`.execute(db);
  const requests = rows.rows.map((row): SenderRequest => {
    // 10% of contacts outside every area code of the pool, to exercise region and any.
    const local = row.g % 10 !== 0;
    const area = AREA_CODES[row.g % AREA_CODES.length] ?? '201';
    return {
      contactId: row.id,
      toPhone: row.phone,
      areaCode: local ? area : '999',
      region: regionOf(row.g % AREA_CODES.length),
      segments: 1 + (row.g % 7 === 0 ? 1 : 0),
    };
  });
  return { poolId: pool.id, requests };
}

interface Phase {
  grants: number;
  refused: number;
  seconds: number;
  per_second: number;
  batch_ms_p50: number;
  batch_ms_p99: number;
}

async function phase(
  db: Db,
  poolId: string,
  requests: SenderRequest[],
  batch: number,
  workers: number,
): Promise<Phase> {
  const settings = healthSettings(loadConfig({}));
  const batches: SenderRequest[][] = [];
  for (let i = 0; i < requests.length; i += batch) batches.push(requests.slice(i, i + batch));
  const latencies: number[] = [];
  let grants = 0;
  let refused = 0;
  let next = 0;
  const now = new Date();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (;;) {
        const chunk = batches[next++];
        if (chunk === undefined) return;
        const t = performance.now();
        const result = await reserveSenders(db, poolId, chunk, now, { health: settings });
        latencies.push(performance.now() - t);
        for (const grant of result) {
          if (grant.ok) grants += 1;
          else refused += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    Math.round(latencies[Math.floor(q * (latencies.length - 1))] ?? 0);
  return {
    grants,
    refused,
    seconds: Math.round(seconds * 100) / 100,
    per_second: Math.round((grants + refused) / seconds),
    batch_ms_p50: at(0.5),
    batch_ms_p99: at(0.99),
  };
}

/** The pure choice alone (no database): contacts assigned per second in the same pool shape. */
function pureSelection(requests: SenderRequest[]): { contacts: number; per_second: number } {
  const numbers = Array.from({ length: NUMBERS }, (_, i): PoolNumber => ({
    id: String(i),
    phone: `+1555${String(i).padStart(7, '0')}`,
    kind: i % 10 === 0 ? 'toll_free' : 'long_code',
    weight: 1 + (i % 3),
    state: 'active',
    area_code: i % 10 === 0 ? null : (AREA_CODES[i % AREA_CODES.length] ?? null),
    region: i % 10 === 0 ? null : regionOf(i % AREA_CODES.length),
    daily_cap: null,
  }));
  const contacts = requests.map((r): SelectionRequest => ({
    contactId: r.contactId,
    areaCode: r.areaCode,
    region: r.region,
  }));
  const options = {
    sticky_sender: true,
    geomatch: true,
    skip_unhealthy: true,
    long_code_weight: 5,
    toll_free_weight: 1,
    short_code_weight: 1,
  };
  selectSenders(options, numbers, contacts.slice(0, 1_000), {});
  const started = performance.now();
  const { results } = selectSenders(options, numbers, contacts, {});
  const seconds = (performance.now() - started) / 1000;
  return { contacts: results.length, per_second: Math.round(results.length / seconds) };
}

export async function run(args: string[]): Promise<void> {
  const contacts = Number(args[0] ?? 200_000);
  const batch = Number(args[1] ?? 5_000);
  const workers = Number(args[2] ?? 2);
  const postgres = await startPostgres({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: path.join(root, '.data', 'bench-pg'),
    port: await freePort(),
  });
  try {
    const url = await ensureDatabase(postgres.adminUrl, 'tandem_bench_select', { recreate: true });
    const db = createDb({ connectionString: url, max: workers + 1 });
    try {
      await migrateToLatest(db);
      const { poolId, requests } = await seed(db, contacts);
      const pure = pureSelection(requests);
      const fresh = await phase(db, poolId, requests, batch, workers);
      const sticky = await phase(db, poolId, requests, batch, workers);
      console.log(
        JSON.stringify(
          {
            bench: 'select',
            numbers: NUMBERS,
            contacts,
            batch,
            workers,
            pure_selection: pure,
            first_contact: fresh,
            sticky_repeat: sticky,
            selections_per_second: Math.min(fresh.per_second, sticky.per_second),
            target_per_second: 20_000,
          },
          null,
          2,
        ),
      );
    } finally {
      await db.destroy();
    }
  } finally {
    await postgres.stop();
  }
}
