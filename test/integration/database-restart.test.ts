import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { SANDBOX_AUTH_TOKEN } from '../../config/env.ts';
import { createDb, type Db } from '../../db/connect.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import {
  startDisposablePostgres,
  type DisposablePostgres,
} from '../../scripts/services/disposable-postgres.ts';
import {
  startTsProcess,
  waitForHttp,
  type ManagedProcess,
} from '../../scripts/services/processes.ts';
import { freePort } from '../../scripts/services/temporal.ts';
import { waitFor } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const SENDERS = ['+13125550701', '+13125550702'];
const CONTACTS = 300;
const OUTAGE_MS = 20_000;
const API_KEY = 'database-restart-key';

const campaignView = z.object({
  status: z.string(),
  funnel: z.object({
    targeted: z.number(),
    skipped: z.number(),
    delivered: z.number(),
    failed: z.number(),
  }),
});

/**
 * PostgreSQL stops for 20 s under a broadcast while status callbacks arrive: the API and the
 * worker (separate processes, as deployed) live through it, answer 503 meanwhile, and carry on
 * by themselves once it is back.
 */
describe('PostgreSQL restarting under a running campaign', () => {
  let postgres: DisposablePostgres;
  let sandbox: RunningSandbox;
  let api: ManagedProcess;
  let worker: ManagedProcess;
  let db: Db;
  let apiUrl: string;

  beforeAll(async () => {
    [postgres, sandbox] = await Promise.all([
      startDisposablePostgres(),
      startSandbox({
        config: {
          numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 10, latencyMs: 5 })),
        },
      }),
    ]);
    apiUrl = `http://127.0.0.1:${await freePort()}`;
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `test-${randomBytes(4).toString('hex')}`,
      WORKFLOW_ID_SCOPE: `t${randomBytes(4).toString('hex')}`,
      API_HOST: '127.0.0.1',
      API_PORT: new URL(apiUrl).port,
      API_KEY,
      PUBLIC_BASE_URL: apiUrl,
      TWILIO_BASE_URL: sandbox.url,
      BLOOIO_BASE_URL: `${sandbox.url}/v2/api`,
      CAMPAIGN_CHECK_SECONDS: '1',
      // Callbacks refused while the database is away are not resent by the sandbox: the
      // worker asks the carrier for those statuses after this long.
      STATUS_TIMEOUT_SECONDS: '5',
    };
    api = startTsProcess('api', 'api/main.ts', env, { quiet: true });
    worker = startTsProcess('worker', 'worker/main.ts', env, { quiet: true });
    await waitForHttp(`${apiUrl}/healthz`, 60_000, api.child);
    db = createDb({ connectionString: postgres.url, max: 2 });
  });
  afterAll(async () => {
    await Promise.all([worker?.stop(), api?.stop()]);
    await db?.destroy();
    await sandbox?.close();
    await postgres?.close();
  });

  const alive = () => api.child.exitCode === null && worker.child.exitCode === null;
  const v1 = (path: string, init: RequestInit = {}) =>
    fetch(`${apiUrl}/v1${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${API_KEY}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      signal: AbortSignal.timeout(10_000),
    });
  const campaign = async (id: string) => {
    const response = await v1(`/campaigns/${id}`);
    return response.ok ? campaignView.parse(await response.json()) : undefined;
  };

  it('answers 503 while it is down, survives, and completes the campaign exactly once', async () => {
    const phones = contactPhones(CONTACTS, '312');
    const optedOut = new Set(phones.filter((_, i) => i % 25 === 3));
    const eligible = phones.filter((phone) => !optedOut.has(phone));
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE, optedOut: optedOut.has(phone) })),
    );
    const poolId = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 10 })),
    );
    const created = await v1('/campaigns', {
      method: 'POST',
      body: JSON.stringify({
        name: 'database restart',
        audience_id: audienceId,
        sms_pool_id: poolId,
        steps: [{ template: 'Hi {{first_name}}, reply YES to learn more' }],
        quiet_hours: { start: '00:00', end: '24:00' },
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id: campaignId } = z.object({ id: z.string() }).parse(await created.json());
    expect((await v1(`/campaigns/${campaignId}/launch`, { method: 'POST' })).status).toBe(202);

    const sent = () =>
      sandbox
        .ledger({ channel: 'sms' })
        .entries.filter((entry) => phones.includes(entry.to))
        .map((entry) => entry.to);
    await waitFor('a quarter of the broadcast', async () =>
      sent().length >= eligible.length / 4 ? true : undefined,
    );

    await postgres.stop();
    const downAt = Date.now();

    const webhook = await postStatusCallback(apiUrl);
    console.log(
      `[database-restart] status callback answered ${webhook.status} in ${webhook.ms} ms`,
    );
    expect(webhook.status).toBe(503);
    expect(webhook.ms).toBeLessThan(6_000);
    expect(webhook.retryAfter).toMatch(/^\d+$/);
    expect(webhook.body).toMatchObject({ error: { code: 'database_unavailable' } });

    const read = await v1(`/campaigns/${campaignId}`);
    expect(read.status).toBe(503);
    expect(await read.json()).toMatchObject({ error: { code: 'database_unavailable' } });
    const health = await fetch(`${apiUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ postgres: { ok: false } });

    while (Date.now() - downAt < OUTAGE_MS) {
      expect(alive()).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await postgres.start();

    await waitFor('/healthz to report PostgreSQL up', async () =>
      (await fetch(`${apiUrl}/healthz`)).status === 200 ? true : undefined,
    );
    const done = await waitFor(
      'the campaign to complete',
      async () => {
        const view = await campaign(campaignId);
        return view?.status === 'completed' ? view : undefined;
      },
      90_000,
    );
    expect(alive()).toBe(true);

    const recipients = sent();
    expect(recipients.length - new Set(recipients).size).toBe(0);
    expect([...recipients].sort()).toEqual([...eligible].sort());
    expect(done.funnel).toMatchObject({
      targeted: CONTACTS,
      skipped: optedOut.size,
      delivered: eligible.length,
      failed: 0,
    });
  });
});

/** A correctly signed Twilio status callback, as Twilio would send it. */
async function postStatusCallback(apiUrl: string) {
  const url = `${apiUrl}/webhooks/twilio/status`;
  const params = {
    MessageSid: `SM${randomBytes(16).toString('hex')}`,
    MessageStatus: 'delivered',
  };
  const started = Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(SANDBOX_AUTH_TOKEN, url, params),
    },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  return {
    status: response.status,
    ms: Date.now() - started,
    retryAfter: response.headers.get('retry-after'),
    body: await response.json(),
  };
}
