import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTandemClient, type TandemClient } from '../../client/index.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import {
  startTsProcess,
  waitForHttp,
  type ManagedProcess,
} from '../../scripts/services/processes.ts';
import { freePort } from '../../scripts/services/temporal.ts';
import { waitFor } from '../support/campaigns.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { parseExposition, select, total, type Sample } from '../support/prometheus.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';

const secret = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;
const SECRETS = {
  API_KEY: secret('api-key'),
  TWILIO_ACCOUNT_SID: `AC${randomBytes(16).toString('hex')}`,
  TWILIO_AUTH_TOKEN: secret('auth-token'),
  TWILIO_API_KEY_SID: `SK${randomBytes(16).toString('hex')}`,
  TWILIO_API_KEY_SECRET: secret('api-key-secret'),
  BLOOIO_API_KEY: secret('blooio-key'),
  BLOOIO_WEBHOOK_SECRET: secret('blooio-webhook-secret'),
};
const DB_PASSWORD = secret('db-password');
const DB_ROLE = `operable_${randomBytes(4).toString('hex')}`;
const SENDERS = ['+14155550801', '+14155550802'];
const IMESSAGE_LINE = '+14155550899';
const CONTACTS = 30;

/** A process of the stack with everything it wrote, stdout and stderr apart. */
interface Captured {
  process: ManagedProcess;
  stdout: string;
  stderr: string;
}

function start(name: string, entry: string, env: Record<string, string>): Captured {
  const process = startTsProcess(name, entry, env, { quiet: true });
  const captured: Captured = { process, stdout: '', stderr: '' };
  process.child.stdout?.on('data', (chunk: Buffer) => (captured.stdout += chunk.toString('utf8')));
  process.child.stderr?.on('data', (chunk: Buffer) => (captured.stderr += chunk.toString('utf8')));
  return captured;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

describe('operable: a production stack as processes, its metrics and its logs', () => {
  let database: TestDatabase;
  let sandbox: RunningSandbox;
  let receiver: Server;
  let api: Captured;
  let worker: Captured;
  let apiUrl: string;
  let workerMetricsUrl: string;
  let tandem: TandemClient;
  let campaignId: string;
  let smsPoolId: string;
  /** Secrets made while running: a generated API key, a webhook endpoint's signing secret. */
  const madeSecrets: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    // A role of its own with a password of its own, so the scan can look for the password.
    const admin = new pg.Client({ connectionString: inject('adminUrl') });
    await admin.connect();
    await admin.query(
      `CREATE ROLE ${DB_ROLE} LOGIN SUPERUSER PASSWORD '${DB_PASSWORD.replaceAll("'", "''")}'`,
    );
    await admin.end();
    const databaseUrl = new URL(database.url);
    databaseUrl.username = DB_ROLE;
    databaseUrl.password = DB_PASSWORD;

    receiver = createServer((_request, response) => response.writeHead(204).end());
    const receiverPort = await freePort();
    await new Promise<void>((resolve) => receiver.listen(receiverPort, '127.0.0.1', resolve));

    const [apiPort, workerMetricsPort] = [await freePort(), await freePort()];
    apiUrl = `http://127.0.0.1:${apiPort}`;
    workerMetricsUrl = `http://127.0.0.1:${workerMetricsPort}/metrics`;
    sandbox = await startSandbox({
      config: {
        seed: 'operable',
        inboundUrl: `${apiUrl}/webhooks/twilio/inbound`,
        twilio: {
          accountSid: SECRETS.TWILIO_ACCOUNT_SID,
          authToken: SECRETS.TWILIO_AUTH_TOKEN,
          apiKeys: [{ sid: SECRETS.TWILIO_API_KEY_SID, secret: SECRETS.TWILIO_API_KEY_SECRET }],
        },
        numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 20, latencyMs: 5 })),
        replies: { share: 0.5, mix: { YES: 1, STOP: 1 }, delayMs: { min: 20, max: 200 } },
        blooio: {
          keys: [{ key: SECRETS.BLOOIO_API_KEY, numbers: [IMESSAGE_LINE] }],
          webhookUrl: `${apiUrl}/webhooks/blooio`,
          webhookSecret: SECRETS.BLOOIO_WEBHOOK_SECRET,
          latencyMs: 5,
        },
      },
    });

    const { db } = database;
    const audienceId = await seedAudience(
      db,
      contactPhones(CONTACTS, '415').map((phone) => ({ phone })),
    );
    smsPoolId = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 20 })),
    );
    const followupPoolId = await seedPool(db, [{ phone: IMESSAGE_LINE, mps: 5 }], {
      provider: 'blooio',
      name: 'iMessage lines',
    });

    const own = randomBytes(4).toString('hex');
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'debug',
      ...SECRETS,
      DATABASE_URL: databaseUrl.toString(),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `test-${own}`,
      WORKFLOW_ID_SCOPE: `t${own}`,
      API_PORT: String(apiPort),
      PUBLIC_BASE_URL: apiUrl,
      TWILIO_BASE_URL: sandbox.url,
      BLOOIO_BASE_URL: `${sandbox.url}/v2/api`,
      WORKER_METRICS_PORT: String(workerMetricsPort),
      METRICS_CACHE_SECONDS: '1',
      CAMPAIGN_CHECK_SECONDS: '1',
      STATUS_TIMEOUT_SECONDS: '30',
    };
    api = start('api', 'api/main.ts', env);
    worker = start('worker', 'worker/main.ts', env);
    await waitForHttp(`${apiUrl}/healthz`, 90_000, api.process.child);
    await waitForHttp(workerMetricsUrl, 90_000, worker.process.child);

    tandem = createTandemClient({ baseUrl: apiUrl, apiKey: SECRETS.API_KEY });
    const key = await tandem.POST('/v1/api-keys', { body: { name: 'scraper', scope: 'read' } });
    expect(key.response.status, JSON.stringify(key.error)).toBe(201);
    madeSecrets.push(key.data!.key);
    const endpoint = await tandem.POST('/v1/webhook-endpoints', {
      body: {
        url: `http://127.0.0.1:${receiverPort}/hook`,
        events: ['conversation.reply_received', 'contact.opted_out', 'campaign.completed'],
      },
    });
    expect(endpoint.response.status, JSON.stringify(endpoint.error)).toBe(201);
    madeSecrets.push(endpoint.data!.secret);

    const created = await tandem.POST('/v1/campaigns', {
      body: {
        name: 'operable',
        audience_id: audienceId,
        sms_pool_id: smsPoolId,
        followup_pool_id: followupPoolId,
        quiet_hours: { start: '00:00', end: '24:00' },
        steps: [{ template: 'Hi {{first_name}}, reply YES to learn more' }],
      },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    campaignId = created.data!.id;
    const launched = await tandem.POST('/v1/campaigns/{id}/launch', {
      params: { path: { id: campaignId } },
    });
    expect(launched.response.status, JSON.stringify(launched.error)).toBe(202);
  }, 240_000);

  afterAll(async () => {
    await api?.process.stop();
    await worker?.process.stop();
    await sandbox?.close();
    await new Promise((resolve) => receiver?.close(resolve));
    await database?.destroy();
    const admin = new pg.Client({ connectionString: inject('adminUrl') });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${DB_ROLE}`);
    await admin.end();
  });

  const scrape = async (url: string, key?: string) => {
    const response = await fetch(url, {
      headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
    });
    return { status: response.status, text: await response.text() };
  };
  const apiMetrics = async () => {
    const { status, text } = await scrape(`${apiUrl}/metrics`, madeSecrets[0]);
    expect(status, text).toBe(200);
    return parseExposition(text);
  };

  it('completes a campaign, and the API /metrics shows it, its numbers, consent and lags', async () => {
    const campaign = await waitFor(
      'the campaign to complete',
      async () => {
        const { data } = await tandem.GET('/v1/campaigns/{id}', {
          params: { path: { id: campaignId } },
        });
        return data?.status === 'completed' ? data : undefined;
      },
      150_000,
    );
    expect(campaign.funnel.delivered).toBe(CONTACTS);

    // Production: a key is needed, any valid one (the read-scoped key here).
    expect((await scrape(`${apiUrl}/metrics`)).status).toBe(401);
    expect((await scrape(`${apiUrl}/metrics`, 'tdm_not-a-key')).status).toBe(401);

    const { db } = database;
    const consentInDb = async () =>
      (
        await sql<{ action: string; source: string; n: number }>`
          SELECT action, source, count(*)::int AS n FROM consent_events GROUP BY 1, 2`.execute(db)
      ).rows;
    // Replies (and their opt-outs and hand-offs) keep arriving for a moment after completion.
    let samples: Sample[] = [];
    await waitFor(
      'the metrics to show the finished campaign and every consent event',
      async () => {
        samples = await apiMetrics();
        const consent = await consentInDb();
        const settled =
          total(samples, 'tandem_campaign_messages', {
            campaign: campaignId,
            status: 'delivered',
          }) === CONTACTS &&
          consent.length > 0 &&
          consent.every(
            (row) =>
              total(samples, 'tandem_consent_events_total', {
                action: row.action,
                source: row.source,
              }) === row.n,
          ) &&
          total(samples, 'tandem_webhook_lag_seconds_count', { provider: 'blooio' }) > 0;
        return settled ? true : undefined;
      },
      30_000,
    );

    expect(total(samples, 'tandem_campaign_messages', { campaign: campaignId })).toBe(CONTACTS);
    expect(total(samples, 'tandem_campaigns', { status: 'completed' })).toBe(1);
    expect(total(samples, 'tandem_numbers', { pool: smsPoolId, state: 'active' })).toBe(2);
    for (const number of SENDERS) {
      const labels = { pool: smsPoolId, number };
      expect(total(samples, 'tandem_number_mps', labels)).toBe(20);
      expect(total(samples, 'tandem_number_state', { ...labels, state: 'active' })).toBe(1);
      expect(select(samples, 'tandem_number_sends_last_minute', labels)).toHaveLength(1);
      expect(total(samples, 'tandem_number_delivery_rate_last_hour', labels)).toBe(1);
    }
    // Every SMS went out within the last minute or so, and every one was delivered.
    expect(total(samples, 'tandem_number_sends_last_minute', { pool: smsPoolId })).toBeGreaterThan(
      0,
    );
    expect(
      total(samples, 'tandem_number_outcomes_last_hour', { pool: smsPoolId, status: 'delivered' }),
    ).toBe(CONTACTS);
    expect(total(samples, 'tandem_consent_events_total', { action: 'opt_out' })).toBeGreaterThan(0);

    // Whichever process applied a status observed its lag: the two targets together saw each
    // delivered message once.
    const workerSamples = parseExposition((await scrape(workerMetricsUrl)).text);
    const delivered = { provider: 'twilio', status: 'delivered' };
    const both = (name: string) =>
      total(samples, name, delivered) + total(workerSamples, name, delivered);
    expect(both('tandem_status_lag_seconds_count')).toBe(CONTACTS);
    expect(both('tandem_status_lag_seconds_sum') / CONTACTS).toBeLessThan(30);
    expect(
      total(samples, 'tandem_webhook_lag_seconds_bucket', { provider: 'blooio', le: '+Inf' }),
    ).toBe(total(samples, 'tandem_webhook_lag_seconds_count', { provider: 'blooio' }));
    expect(select(samples, 'process_cpu_seconds_total')).toHaveLength(1);
  }, 240_000);

  it('worker /metrics: carrier requests per number and outcome, and the Temporal SDK series', async () => {
    const { status, text } = await scrape(workerMetricsUrl);
    expect(status).toBe(200);
    const samples = parseExposition(text);
    expect(
      total(samples, 'tandem_carrier_requests_total', { carrier: 'twilio', outcome: 'accepted' }),
    ).toBe(CONTACTS);
    for (const number of SENDERS)
      expect(
        total(samples, 'tandem_carrier_requests_total', { carrier: 'twilio', number }),
      ).toBeGreaterThan(0);
    expect(
      total(samples, 'tandem_carrier_requests_total', { carrier: 'blooio', outcome: 'accepted' }),
    ).toBeGreaterThan(0);
    // Queue lag: Temporal's schedule-to-start latency, in seconds.
    expect(total(samples, 'temporal_activity_schedule_to_start_latency_count')).toBeGreaterThan(0);
    expect(
      total(samples, 'temporal_workflow_task_schedule_to_start_latency_count'),
    ).toBeGreaterThan(0);
    expect(
      select(samples, 'temporal_worker_start').length + select(samples, 'temporal_request').length,
    ).toBeGreaterThan(0);
  });

  it('logs JSON lines only, with the campaign and workflow ids, and no secret anywhere', async () => {
    // A key in a query string must not reach a log either.
    const listed = await fetch(`${apiUrl}/v1/campaigns?api_key=${madeSecrets[0]}`, {
      headers: { authorization: `Bearer ${madeSecrets[0]}` },
    });
    expect(listed.status).toBe(200);
    await api.process.stop();
    await worker.process.stop();

    const logs = [api, worker].flatMap((captured) =>
      `${captured.stdout}\n${captured.stderr}`.split('\n').filter((line) => line.trim() !== ''),
    );
    expect(logs.length).toBeGreaterThan(20);
    const records = logs.map((line) => {
      let record: unknown;
      expect(() => (record = JSON.parse(line)), line).not.toThrow();
      if (!isRecord(record)) throw new Error(`not a JSON object: ${line}`);
      return record;
    });
    for (const record of records) {
      expect(record).toHaveProperty('time');
      expect(record).toHaveProperty('level');
      expect(['api', 'worker']).toContain(record.service);
    }

    const { workflow_id: workflowId } = await database.db
      .selectFrom('campaigns')
      .select('workflow_id')
      .where('id', '=', campaignId)
      .executeTakeFirstOrThrow();
    expect(workflowId).not.toBeNull();
    const finished = records.find(
      (record) =>
        record.msg === 'campaign finished' &&
        record.campaignId === campaignId &&
        record.workflowId === workflowId,
    );
    expect(finished, 'a "campaign finished" line with campaignId and workflowId').toBeDefined();
    expect(finished).toMatchObject({ service: 'worker', workflowType: 'CampaignWorkflow' });
    // Activity lines (once it runs: "Activity started" comes before its input is read) name the
    // campaign their input names, never the activity's task token.
    const batches = records.filter(
      (record) => record.activityType === 'sendBatch' && record.msg === 'Activity completed',
    );
    expect(batches.length).toBeGreaterThan(0);
    for (const record of batches) expect(record).toMatchObject({ campaignId, workflowId });
    expect(records.some((record) => 'taskToken' in record)).toBe(false);
    // Requests are logged (so the scan below saw them), without their keys.
    expect(records.some((record) => JSON.stringify(record).includes('/v1/campaigns'))).toBe(true);

    const everything = logs.join('\n');
    for (const [name, value] of [
      ...Object.entries(SECRETS).filter(
        ([name]) => name !== 'TWILIO_ACCOUNT_SID' && name !== 'TWILIO_API_KEY_SID',
      ),
      ['database password', DB_PASSWORD],
      ['generated API key', madeSecrets[0] ?? ''],
      ['webhook endpoint secret', madeSecrets[1] ?? ''],
    ] as const) {
      expect(value.length, name).toBeGreaterThan(8);
      expect(everything.includes(value), `${name} appears in the logs`).toBe(false);
    }
  });
});
