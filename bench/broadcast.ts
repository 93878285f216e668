import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createTwilioClient } from '../activities/carriers/twilio.ts';
import { loadConfig } from '../config/env.ts';
import { createDb } from '../db/connect.ts';
import { root, startStack } from '../scripts/services/stack.ts';
import { freePort } from '../scripts/services/temporal.ts';
import { runCampaign, type CampaignRun } from './support/broadcast-run.ts';
import { ProcSampler, type Classify } from './support/proc-sampler.ts';
import { sendBaseline } from './support/send-baseline.ts';

const DATA_DIR = path.join('.data', 'bench-broadcast');
const log = (line: string) => console.error(`[bench] ${line}`);

/** Its own ports and data directory, so a demo on the default ports is left alone. */
async function benchEnvironment(): Promise<void> {
  const [api, sandbox, pg, temporal, ui] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  );
  Object.assign(process.env, {
    DATA_DIR,
    API_PORT: String(api),
    PUBLIC_BASE_URL: `http://127.0.0.1:${api}`,
    SANDBOX_PORT: String(sandbox),
    EMBEDDED_PG_PORT: String(pg),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporal}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${ui}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
}

/** The stack's processes by role: children of this process, and the postmaster's family. */
function classifier(): Classify {
  const pidFile = path.join(root, DATA_DIR, 'pg', 'postmaster.pid');
  let postmaster = -1;
  try {
    postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    // DATABASE_URL: PostgreSQL runs elsewhere and is not sampled
  }
  const roles = ['worker', 'api', 'sandbox'] as const;
  return (pid, parent, command) => {
    if (pid === process.pid) return 'bench';
    if (pid === postmaster || parent === postmaster) return 'postgres';
    if (parent !== process.pid) return undefined;
    if (command.includes('start-dev')) return 'temporal';
    return roles.find((role) => command.includes(`${role}/main.ts`));
  };
}

const summary = (run: CampaignRun) => {
  const { phones: _phones, ...rest } = run;
  return rest;
};

export async function run(args: string[]): Promise<void> {
  const rateContacts = Number(args[0] ?? 30_000);
  const fastContacts = Number(args[1] ?? 100_000);
  await rm(path.join(root, DATA_DIR), { recursive: true, force: true });
  await benchEnvironment();
  // The stack's processes print through console.log: keep stdout for the JSON alone.
  console.log = (...parts: unknown[]) => console.error(...parts);
  const config = loadConfig();
  const stack = await startStack(config, log);
  const db = createDb({ connectionString: stack.databaseUrl, max: 2 });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const env = {
      db,
      apiUrl: stack.apiUrl,
      apiKey: config.API_KEY,
      sandboxUrl: stack.sandboxUrl ?? config.sandboxUrl,
      temporal: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
      sampler: new ProcSampler(classifier()),
      log,
    };
    const rate = await runCampaign(env, { run: 2, numbers: 50, mps: 10, contacts: rateContacts });
    const fast = await runCampaign(env, { run: 3, numbers: 50, mps: 1000, contacts: fastContacts });
    log(`baseline: ${fastContacts} × twilio.messages.create at concurrency 64`);
    env.sampler.start();
    const baseline = await sendBaseline(createTwilioClient(config), {
      from: fast.phones,
      toPrefix: '+14159',
      count: fastContacts,
      statusCallback: `${config.PUBLIC_BASE_URL}/webhooks/twilio/status`,
    });
    const baselineProcesses = env.sampler.stop();
    const capacity = rate.numbers * rate.mps_per_number;
    const perTenThousand = (fast.temporal_history_events / fast.contacts) * 10_000;
    const result = {
      bench: 'broadcast',
      config: {
        SEND_BATCH_SIZE: config.SEND_BATCH_SIZE,
        SEND_WINDOW: config.SEND_WINDOW,
        RATE_LIMIT_HEADROOM: config.RATE_LIMIT_HEADROOM,
        CAMPAIGN_CHECK_SECONDS: config.CAMPAIGN_CHECK_SECONDS,
      },
      rate_bound: {
        ...summary(rate),
        capacity_msgs_per_second: capacity,
        utilisation: Math.round((rate.span_msgs_per_second / capacity) * 1000) / 1000,
        utilisation_from_launch: Math.round((rate.msgs_per_second / capacity) * 1000) / 1000,
        target_utilisation: 0.9,
      },
      orchestrator_bound: {
        ...summary(fast),
        target_msgs_per_second: 1_000,
        history_events_per_10k_contacts: Math.round(perTenThousand),
        worker_peak_rss_mib: fast.processes.worker?.peak_rss_mib ?? null,
        baseline: { ...baseline, processes: baselineProcesses },
        ratio_to_baseline:
          Math.round((fast.msgs_per_second / baseline.msgs_per_second) * 100) / 100,
        target_ratio: 0.7,
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await db.destroy();
    await connection.close();
    await stack.stop();
  }
}
