import type { Client } from '@temporalio/client';
import type { Db } from '../../db/connect.ts';
import { SandboxClient } from '../../sandbox/client.ts';
import {
  benchApi,
  launchCampaign,
  seedAudience,
  seedPool,
  type PoolSpec,
} from './broadcast-seed.ts';
import { ledgerGaps, type LedgerGaps } from './ledger-gaps.ts';
import type { GroupUsage, ProcSampler } from './proc-sampler.ts';

export interface RunEnv {
  db: Db;
  apiUrl: string;
  apiKey: string;
  sandboxUrl: string;
  temporal: Client;
  sampler: ProcSampler;
  log: (line: string) => void;
}

export interface CampaignRun {
  contacts: number;
  numbers: number;
  mps_per_number: number;
  /** Launch request → the carrier accepted the last message. */
  seconds_to_all_sent: number;
  msgs_per_second: number;
  /** First → last acceptance at the carrier: the steady sending rate. */
  send_span_seconds: number;
  span_msgs_per_second: number;
  /** Launch → workflow completed (every final status applied). */
  seconds_to_completed: number;
  /** Launch → the last final status was applied (the rest of the span is the workflow's checks). */
  seconds_to_last_final: number;
  mps_violations: number;
  peak_segments_in_one_second: number;
  /** Where the span went, number by number. */
  ledger_gaps: LedgerGaps;
  funnel: Record<string, unknown>;
  temporal_history_events: number;
  temporal_runs: number;
  processes: Record<string, GroupUsage>;
  /** Senders, for the baseline loop. */
  phones: string[];
}

const DEADLINE_MS = 20 * 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seeds a pool and an audience, launches a campaign, and measures it until it completes. */
export async function runCampaign(
  env: RunEnv,
  spec: PoolSpec & { contacts: number },
): Promise<CampaignRun> {
  const api = benchApi(env.apiUrl, env.apiKey);
  const sandbox = new SandboxClient(env.sandboxUrl);
  const poolId = await seedPool(api, env.sandboxUrl, spec);
  const audienceId = await seedAudience(env.db, spec.run, spec.contacts);
  const phones = (
    await env.db
      .selectFrom('sender_numbers')
      .select('phone')
      .where('pool_id', '=', poolId)
      .execute()
  ).map((row) => row.phone);
  const before = (await sandbox.stats()).smsMessages;
  env.log(`run ${spec.run}: ${spec.contacts} contacts, ${spec.numbers} × ${spec.mps} MPS`);
  env.sampler.start();
  const since = new Date().toISOString();
  const launchedWallClock = Date.now();
  const launched = await launchCampaign(api, {
    name: `bench ${spec.run}`,
    audienceId,
    poolId,
  });
  let allSentAt: number | undefined;
  let completedAt: number | undefined;
  let lastLog = 0;
  const deadline = Date.now() + DEADLINE_MS;
  while (completedAt === undefined) {
    if (Date.now() > deadline) throw new Error(`run ${spec.run} did not complete in time`);
    await sleep(200);
    const sent = (await sandbox.stats()).smsMessages - before;
    if (allSentAt === undefined && sent >= spec.contacts) allSentAt = performance.now();
    const campaign = await env.db
      .selectFrom('campaigns')
      .select('status')
      .where('id', '=', launched.campaignId)
      .executeTakeFirstOrThrow();
    if (campaign.status === 'completed') completedAt = performance.now();
    else if (campaign.status !== 'running') throw new Error(`campaign ${campaign.status}`);
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      env.log(
        `  ${sent} sent after ${Math.round((performance.now() - launched.launchedAt) / 1000)} s`,
      );
    }
  }
  const processes = env.sampler.stop();
  const sentAt = allSentAt ?? completedAt;
  const mySenders = new Set(phones);
  const ledger = (await sandbox.ledger({ since, channel: 'sms' })).entries.filter((entry) =>
    mySenders.has(entry.from),
  );
  const firstAt = Date.parse(ledger[0]?.at ?? since);
  const lastAt = Date.parse(ledger[ledger.length - 1]?.at ?? since);
  const span = Math.max(0.001, (lastAt - firstAt) / 1000);
  const mps = await sandbox.mpsViolations();
  const mine = phones.flatMap((phone) => {
    const number = mps.byNumber[phone];
    return number === undefined ? [] : [number];
  });
  const history = await historyOf(env.temporal, launched.workflowId);
  const lastFinal = await env.db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('final_at').as('at'))
    .where('campaign_id', '=', launched.campaignId)
    .executeTakeFirst();
  const view = await api.call<{ funnel: Record<string, unknown> }>(
    'GET',
    `/v1/campaigns/${launched.campaignId}`,
  );
  const toSent = (sentAt - launched.launchedAt) / 1000;
  return {
    contacts: spec.contacts,
    numbers: spec.numbers,
    mps_per_number: spec.mps,
    seconds_to_all_sent: round(toSent),
    msgs_per_second: Math.round(ledger.length / toSent),
    send_span_seconds: round(span),
    span_msgs_per_second: Math.round((ledger.length - 1) / span),
    seconds_to_completed: round((completedAt - launched.launchedAt) / 1000),
    seconds_to_last_final: round(
      (new Date(lastFinal?.at ?? launchedWallClock).getTime() - launchedWallClock) / 1000,
    ),
    mps_violations: mine.reduce((sum, number) => sum + number.violations, 0),
    peak_segments_in_one_second: Math.max(0, ...mine.map((number) => number.peak)),
    ledger_gaps: ledgerGaps(ledger, 1000 / spec.mps),
    funnel: view.funnel,
    temporal_history_events: history.events,
    temporal_runs: history.runs,
    processes,
    phones,
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

/** History events over every run of the workflow (continue-as-new starts a new run). */
async function historyOf(
  client: Client,
  workflowId: string,
): Promise<{ events: number; runs: number }> {
  let events = 0;
  let runs = 0;
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    runs += 1;
    events += execution.historyLength;
  }
  return { events, runs };
}
