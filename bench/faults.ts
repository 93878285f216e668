import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../config/env.ts';
import { createDb, type Db } from '../db/connect.ts';
import type { FaultsInput } from '../sandbox/config.ts';
import { SandboxClient } from '../sandbox/client.ts';
import { startDisposablePostgres } from '../scripts/services/disposable-postgres.ts';
import { startTsProcess, waitForHttp, type ManagedProcess } from '../scripts/services/processes.ts';
import { root } from '../scripts/services/stack.ts';
import {
  freePort,
  startTemporal,
  temporalCliPath,
  type RunningTemporal,
} from '../scripts/services/temporal.ts';
import { exactlyOnceReport, settledReport } from '../test/support/exactly-once.ts';
import { benchApi, launchCampaign, seedAudience, seedPool } from './support/broadcast-seed.ts';

const DATA_DIR = path.join('.data', 'bench-faults');
const log = (line: string) => console.error(`[bench] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NUMBERS = 10;
const MPS = 10;
const DEADLINE_MS = 6 * 60_000;
const RETRY_POLICY = { max_attempts: 10, backoff_seconds: 2 };

/** The running stack, with handles to break and mend each part. */
interface Stack {
  db: Db;
  sandbox: SandboxClient;
  sandboxUrl: string;
  apiUrl: string;
  apiKey: string;
  restartWorker(kill: 'SIGKILL'): Promise<void>;
  restartApi(): Promise<void>;
  restartTemporal(downMs: number): Promise<void>;
  restartPostgres(downMs: number): Promise<void>;
}

interface CaseContext {
  stack: Stack;
  campaignId: string;
  /** Texts of this campaign the carrier has created so far. */
  texted(): Promise<number>;
  /** Rows of this campaign with at least two attempts. */
  retried(): Promise<number>;
}

interface FaultCase {
  name: string;
  faults?: FaultsInput;
  /** Breaks something while the campaign runs; returns when it is mended (epoch ms). */
  during?: (context: CaseContext) => Promise<number>;
}

const waitUntil = async (what: string, probe: () => Promise<boolean>) => {
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
};

/** After a third of the audience was texted (the first pass is under way). */
const midFirstPass = (contacts: number) => (context: CaseContext) =>
  waitUntil('a third of the audience texted', async () => (await context.texted()) >= contacts / 3);

const cases = (contacts: number): FaultCase[] => [
  {
    name: 'worker kill -9 during the first pass',
    during: async (context) => {
      await midFirstPass(contacts)(context);
      await context.stack.restartWorker('SIGKILL');
      return Date.now();
    },
  },
  {
    name: 'Temporal server restarted during the first pass (down 5 s)',
    during: async (context) => {
      await midFirstPass(contacts)(context);
      await context.stack.restartTemporal(5_000);
      return Date.now();
    },
  },
  {
    name: 'API kill -9 during the first pass (callbacks refused 3 s)',
    during: async (context) => {
      await midFirstPass(contacts)(context);
      await context.stack.restartApi();
      return Date.now();
    },
  },
  {
    name: '1% of sends accepted, then never answered',
    faults: { twilio: [{ kind: 'hang_after_accept', share: 0.01 }] },
  },
  {
    name: '3% of sends never answered, plus 20% 429/500/503',
    faults: {
      twilio: [
        { kind: 'hang_before_accept', share: 0.03 },
        { kind: 'http_429', share: 0.07 },
        { kind: 'http_500', share: 0.07 },
        { kind: 'http_503', share: 0.07 },
      ],
    },
  },
  {
    name: '5% of sends accepted, then answered 500',
    faults: { twilio: [{ kind: 'http_500_after_accept', share: 0.05 }] },
  },
  {
    name: '2% of connections reset (half before, half after accept)',
    faults: {
      twilio: [
        { kind: 'reset_before_accept', share: 0.01 },
        { kind: 'reset_after_accept', share: 0.01 },
      ],
    },
  },
  {
    name: 'worker kill -9 while retries are being sent (20% 503)',
    faults: { twilio: [{ kind: 'http_503', share: 0.2 }] },
    during: async (context) => {
      await waitUntil('retries under way', async () => (await context.retried()) >= 20);
      await context.stack.restartWorker('SIGKILL');
      return Date.now();
    },
  },
  {
    name: 'PostgreSQL stopped 22 s and started again',
    during: async (context) => {
      await midFirstPass(contacts)(context);
      await context.stack.restartPostgres(22_000);
      return Date.now();
    },
  },
];

export async function run(args: string[]): Promise<void> {
  const contacts = Number(args[0] ?? 2_000);
  const only = args[1];
  await rm(path.join(root, DATA_DIR), { recursive: true, force: true });
  // The stack's processes print through console.log: keep stdout for the JSON alone.
  console.log = (...parts: unknown[]) => console.error(...parts);
  const stack = await startStack();
  const results = [];
  try {
    const selected = cases(contacts).filter(
      (_, i) => only === undefined || only.split(',').includes(String(i + 1)),
    );
    for (const [index, faultCase] of selected.entries()) {
      results.push(await runCase(stack.stack, faultCase, index, contacts));
      log(JSON.stringify(results[results.length - 1]));
    }
  } finally {
    await stack.stop();
  }
  const pass = results.every(
    (r) =>
      r.completed &&
      r.texted_twice === 0 &&
      r.eligible_never_texted === 0 &&
      r.stuck === 0 &&
      r.statuses_unapplied === 0 &&
      r.unrecorded === 0 &&
      r.mps_violations === 0,
  );
  const result = {
    bench: 'faults',
    contacts_per_case: contacts,
    numbers: NUMBERS,
    mps_per_number: MPS,
    retry_policy: RETRY_POLICY,
    all_cases_pass: pass,
    cases: results,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

async function runCase(stack: Stack, faultCase: FaultCase, index: number, contacts: number) {
  const api = benchApi(stack.apiUrl, stack.apiKey);
  const spec = { run: 2 + (index % 8), numbers: NUMBERS, mps: MPS, firstIndex: 100 * index };
  log(`case ${index + 1}: ${faultCase.name}`);
  await stack.sandbox.setFaults({ twilio: [], blooio: [] });
  const poolId = await seedPool(api, stack.sandboxUrl, spec);
  const audienceId = await seedAudience(stack.db, spec.run, contacts, 10_000 * (1 + index));
  const phones = new Set(
    (
      await stack.db
        .selectFrom('sender_numbers')
        .select('phone')
        .where('pool_id', '=', poolId)
        .execute()
    ).map((row) => row.phone),
  );
  const since = new Date().toISOString();
  const myLedger = async () =>
    (await stack.sandbox.ledger({ since, channel: 'sms' })).entries.filter((entry) =>
      phones.has(entry.from),
    );
  const firedBefore = (await stack.sandbox.faults()).twilio.fired;
  if (faultCase.faults !== undefined) await stack.sandbox.setFaults(faultCase.faults);
  const launched = await launchCampaign(api, {
    name: `faults ${index + 1}`,
    audienceId,
    poolId,
    retryPolicy: RETRY_POLICY,
  });
  const startedAt = Date.now();
  const context: CaseContext = {
    stack,
    campaignId: launched.campaignId,
    texted: async () => (await myLedger()).length,
    retried: async () =>
      Number(
        (
          await sql<{ n: string }>`SELECT count(*) AS n FROM messages
            WHERE campaign_id = ${launched.campaignId} AND attempts >= 2`.execute(stack.db)
        ).rows[0]?.n ?? 0,
      ),
  };
  const mendedAt = faultCase.during === undefined ? undefined : await faultCase.during(context);
  let completed = false;
  const deadline = Date.now() + DEADLINE_MS;
  while (!completed && Date.now() < deadline) {
    await sleep(500);
    const campaign = await stack.db
      .selectFrom('campaigns')
      .select('status')
      .where('id', '=', launched.campaignId)
      .executeTakeFirst()
      .catch(() => undefined);
    completed = campaign?.status === 'completed';
  }
  const completedAt = Date.now();
  await stack.sandbox.setFaults({ twilio: [], blooio: [] });
  const ledger = await myLedger();
  const report = await settledReport(() =>
    exactlyOnceReport(stack.db, launched.campaignId, ledger),
  );
  const mps = await stack.sandbox.mpsViolations();
  const firedAfter = (await stack.sandbox.faults()).twilio.fired;
  const fired = Object.fromEntries(
    Object.entries(firedAfter).flatMap(([kind, n]) => {
      const delta = n - (firedBefore[kind as keyof typeof firedBefore] ?? 0);
      return delta > 0 ? [[kind, delta]] : [];
    }),
  );
  const resumedAt =
    mendedAt === undefined
      ? undefined
      : ledger.map((entry) => Date.parse(entry.at)).find((at) => at > mendedAt);
  return {
    case: faultCase.name,
    targeted: report.targeted,
    texted_per_ledger: report.texted,
    texted_twice: report.textedTwice,
    eligible_never_texted: report.eligibleNeverTexted,
    stuck: report.stuck,
    statuses_unapplied: report.statusesUnapplied,
    unrecorded: report.unrecorded,
    mps_violations: [...phones].reduce(
      (sum, phone) => sum + (mps.byNumber[phone]?.violations ?? 0),
      0,
    ),
    completed,
    seconds_to_complete: Math.round((completedAt - startedAt) / 100) / 10,
    // From the part being back to the carrier's next accepted text.
    seconds_to_recover:
      mendedAt === undefined || resumedAt === undefined
        ? null
        : Math.round((resumedAt - mendedAt) / 100) / 10,
    faults_fired: fired,
    attempts: report.attempts,
    retried: report.retried,
  };
}

async function startStack(): Promise<{ stack: Stack; stop(): Promise<void> }> {
  const [api, sandboxPort, temporalPort, ui] = await Promise.all(
    Array.from({ length: 4 }, () => freePort()),
  );
  const pg = await startDisposablePostgres();
  Object.assign(process.env, {
    DATA_DIR,
    DATABASE_URL: pg.url,
    API_PORT: String(api),
    PUBLIC_BASE_URL: `http://127.0.0.1:${api}`,
    SANDBOX_PORT: String(sandboxPort),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${ui}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // Statuses lost while the API is away are fetched from the carrier after this.
    STATUS_TIMEOUT_SECONDS: process.env.STATUS_TIMEOUT_SECONDS ?? '30',
    CAMPAIGN_CHECK_SECONDS: process.env.CAMPAIGN_CHECK_SECONDS ?? '2',
  });
  const config = loadConfig();
  const temporalOptions = {
    cli: temporalCliPath(root),
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    uiPort: ui,
    dbFile: path.join(root, DATA_DIR, 'temporal.db'),
    logFile: path.join(root, DATA_DIR, 'temporal.log'),
    reuseExisting: false,
  };
  await mkdir(path.join(root, DATA_DIR), { recursive: true });
  let temporal: RunningTemporal = await startTemporal(temporalOptions);
  const sandboxProcess = startTsProcess('sandbox', 'sandbox/main.ts', {});
  await waitForHttp(`${config.sandboxUrl}/_sandbox/health`, 30_000, sandboxProcess.child);
  let worker: ManagedProcess = startTsProcess('worker', 'worker/main.ts', {});
  const apiUrl = `http://${config.API_HOST}:${config.API_PORT}`;
  const startApi = async () => {
    const started = startTsProcess('api', 'api/main.ts', {});
    await waitForHttp(`${apiUrl}/healthz`, 60_000, started.child);
    return started;
  };
  let apiProcess = await startApi();
  const db = createDb({ connectionString: pg.url, max: 4 });
  const kill = async (managed: ManagedProcess) => {
    const exited = new Promise((resolve) => managed.child.once('exit', resolve));
    managed.child.kill('SIGKILL');
    await exited;
  };
  const stack: Stack = {
    db,
    sandbox: new SandboxClient(config.sandboxUrl),
    sandboxUrl: config.sandboxUrl,
    apiUrl,
    apiKey: config.API_KEY,
    restartWorker: async () => {
      await kill(worker);
      worker = startTsProcess('worker', 'worker/main.ts', {});
    },
    restartApi: async () => {
      await kill(apiProcess);
      await sleep(3_000);
      apiProcess = await startApi();
    },
    restartTemporal: async (downMs) => {
      await temporal.stop();
      await sleep(downMs);
      temporal = await startTemporal(temporalOptions);
    },
    restartPostgres: async (downMs) => {
      await pg.stop();
      await sleep(downMs);
      await pg.start();
    },
  };
  return {
    stack,
    stop: async () => {
      await db.destroy();
      await apiProcess.stop();
      await worker.stop();
      await sandboxProcess.stop();
      await temporal.stop();
      await pg.close();
    },
  };
}
