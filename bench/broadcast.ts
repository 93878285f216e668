import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createTwilioClient } from '../activities/carriers/twilio.ts';
import { loadConfig } from '../config/env.ts';
import { createDb } from '../db/connect.ts';
import { root, startStack } from '../scripts/services/stack.ts';
import { runCampaign, type CampaignRun } from './support/broadcast-run.ts';
import { SandboxClient } from '../sandbox/client.ts';
import {
  cpuPerMessage,
  ProcSampler,
  type Classify,
  type GroupUsage,
} from './support/proc-sampler.ts';
import { sendBaseline } from './support/send-baseline.ts';
import { StatementStats } from './support/statement-stats.ts';
import { benchEnvironment } from './support/bench-environment.ts';

const DATA_DIR = path.join('.data', 'bench-broadcast');
const log = (line: string) => console.error(`[bench] ${line}`);

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

/**
 * The pacing run's pool: small enough that this machine is not saturated (the 30 × 10 MPS pool
 * first tried kept 1.8 of 2 cores busy on a slow day), so it measures pacing, not CPU.
 */
const PACED_NUMBERS = Number(process.env.BENCH_PACED_NUMBERS ?? 20);

/** tandem's own processes: what a message costs the orchestrator (the carrier aside). */
const TANDEM = ['worker', 'api', 'postgres', 'temporal'];
/** The plain loop's: the loop itself, and the API and PostgreSQL storing its callbacks. */
const PLAIN_LOOP = ['bench', 'api', 'postgres', 'temporal'];

/** Machine CPU over a run: cores busy on average, and the share of the machine's cores. */
const machineUse = (processes: Record<string, GroupUsage>) => {
  const cores = processes.machine_total?.cores ?? 0;
  return {
    cores_busy: cores,
    share_of_machine: Math.round((cores / availableParallelism()) * 100) / 100,
    tandem_cores:
      Math.round(TANDEM.reduce((sum, group) => sum + (processes[group]?.cores ?? 0), 0) * 100) /
      100,
  };
};

/** A rate-bound run: how close the pool came to its capacity, within its limits. */
const rateFigures = (run: CampaignRun) => {
  const capacity = run.numbers * run.mps_per_number;
  return {
    ...summary(run),
    capacity_msgs_per_second: capacity,
    utilisation: Math.round((run.span_msgs_per_second / capacity) * 1000) / 1000,
    utilisation_from_launch: Math.round((run.msgs_per_second / capacity) * 1000) / 1000,
    machine_cpu: machineUse(run.processes),
    target_utilisation: 0.9,
  };
};

export async function run(args: string[]): Promise<void> {
  const rateContacts = Number(args[0] ?? 30_000);
  const fastContacts = Number(args[1] ?? 100_000);
  await rm(path.join(root, DATA_DIR), { recursive: true, force: true });
  await benchEnvironment(DATA_DIR);
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
    // Rate-bound twice: a pool the machine keeps up with (pacing alone is measured), and the
    // historical 50 × 10 MPS one, which also takes the machine's two cores near saturation.
    const statements = new StatementStats(db);
    const skipRate = rateContacts === 0;
    const paced = skipRate
      ? undefined
      : await runCampaign(env, {
          run: 4,
          numbers: PACED_NUMBERS,
          mps: 10,
          contacts: Math.round((rateContacts * PACED_NUMBERS) / 50),
        });
    const rate = skipRate
      ? undefined
      : await runCampaign(env, { run: 2, numbers: 50, mps: 10, contacts: rateContacts });
    await statements.reset();
    const fast = await runCampaign(env, { run: 3, numbers: 50, mps: 1000, contacts: fastContacts });
    const fastStatements = await statements.top();
    log(`baseline: ${fastContacts} × twilio.messages.create at concurrency 64`);
    const sandbox = new SandboxClient(env.sandboxUrl);
    env.sampler.start();
    const baseline = await sendBaseline(createTwilioClient(config), {
      from: fast.phones,
      toPrefix: '+14159',
      count: fastContacts,
      statusCallback: `${config.PUBLIC_BASE_URL}/webhooks/twilio/status`,
    });
    // Its callbacks are handled by the API as a campaign's are: the window ends once all are in.
    while (!(await sandbox.idle()).idle) log('baseline: waiting for its status callbacks');
    const baselineProcesses = env.sampler.stop();
    const perTenThousand = (fast.temporal_history_events / fast.contacts) * 10_000;
    const fastCpu = cpuPerMessage(fast.processes, fast.contacts, TANDEM);
    const baselineCpu = cpuPerMessage(baselineProcesses, fastContacts, PLAIN_LOOP);
    const result = {
      bench: 'broadcast',
      config: {
        SEND_BATCH_SIZE: config.SEND_BATCH_SIZE,
        SEND_WINDOW: config.SEND_WINDOW,
        RATE_LIMIT_HEADROOM: config.RATE_LIMIT_HEADROOM,
        CAMPAIGN_CHECK_SECONDS: config.CAMPAIGN_CHECK_SECONDS,
        cores: availableParallelism(),
      },
      rate_bound:
        paced === undefined || rate === undefined
          ? 'skipped'
          : {
              [`pool_${paced.numbers}x${paced.mps_per_number}`]: rateFigures(paced),
              [`pool_${rate.numbers}x${rate.mps_per_number}`]: rateFigures(rate),
            },
      orchestrator_bound: {
        ...summary(fast),
        target_msgs_per_second: 1_000,
        history_events_per_10k_contacts: Math.round(perTenThousand),
        worker_peak_rss_mib: fast.processes.worker?.peak_rss_mib ?? null,
        // CPU ms per message by process; `own` is tandem's: worker + API + PostgreSQL + Temporal.
        cpu_ms_per_message: fastCpu,
        target_cpu_ms_per_message: 1.4,
        baseline: {
          ...baseline,
          processes: baselineProcesses,
          // `own` is the loop's (bench) + the API and PostgreSQL storing its callbacks + Temporal.
          cpu_ms_per_message: baselineCpu,
        },
        ratio_to_baseline:
          Math.round((fast.msgs_per_second / baseline.msgs_per_second) * 100) / 100,
        cpu_ratio_to_baseline:
          Math.round(((fastCpu.own ?? 0) / (baselineCpu.own ?? 1)) * 100) / 100,
        target_ratio: 1.0,
        ...(fastStatements === undefined ? {} : { postgres_statements: fastStatements }),
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await db.destroy();
    await connection.close();
    await stack.stop();
  }
}
