import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio.ts';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN } from '../../config/env.ts';
import type { FaultKind } from '../../sandbox/config.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { startWebhookRecorder, type WebhookRecorder } from '../../sandbox/webhook-recorder.ts';

const FROM = '+14155550001';
const TO = '+14155551234';
const TIMEOUT_MS = 300;

function sdkClient(url: string, timeoutMs = TIMEOUT_MS): TwilioClient {
  return createTwilioClient(
    {
      TWILIO_ACCOUNT_SID: SANDBOX_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: SANDBOX_AUTH_TOKEN,
      TWILIO_API_KEY_SID: undefined,
      TWILIO_API_KEY_SECRET: undefined,
      twilioBaseUrl: url,
    },
    { timeoutMs },
  );
}

async function until(fact: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fact()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('sandbox faults: Twilio Messages create, through the real SDK', () => {
  let sandbox: RunningSandbox;
  let hooks: WebhookRecorder;
  let client: TwilioClient;
  const auth = `Basic ${Buffer.from(`${SANDBOX_ACCOUNT_SID}:${SANDBOX_AUTH_TOKEN}`).toString('base64')}`;
  const messagesUrl = () =>
    `${sandbox.url}/2010-04-01/Accounts/${SANDBOX_ACCOUNT_SID}/Messages.json`;
  const create = () =>
    client.messages.create({
      to: TO,
      from: FROM,
      body: 'Reply YES to learn more',
      statusCallback: `${hooks.url}/status`,
    });
  const fault = (kind: FaultKind) => sandbox.configure({ faults: { twilio: [{ kind }] } });

  beforeAll(async () => {
    hooks = await startWebhookRecorder();
    sandbox = await startSandbox({
      config: { numbers: [{ phoneNumber: FROM, mps: 1000, latencyMs: 10 }] },
    });
    client = sdkClient(sandbox.url);
  });
  afterAll(async () => {
    await sandbox.close();
    await hooks.close();
  });
  beforeEach(() => {
    sandbox.reset();
    hooks.requests.length = 0;
  });

  it.each([
    ['http_429', 429, 20429, 'Too Many Requests'],
    ['http_500', 500, 20500, 'Internal Server Error'],
    ['http_503', 503, 20503, 'Service Unavailable'],
  ] as const)(
    '%s refuses before accept with Twilio error %i/%i',
    async (kind, status, code, message) => {
      fault(kind);
      await expect(create()).rejects.toMatchObject({
        status,
        code,
        message,
        moreInfo: `https://www.twilio.com/docs/errors/${code}`,
      });
      const raw = await fetch(messagesUrl(), {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: TO, From: FROM, Body: 'x' }),
      });
      expect(raw.status).toBe(status);
      expect(await raw.json()).toEqual({
        code,
        message,
        more_info: `https://www.twilio.com/docs/errors/${code}`,
        status,
      });
      expect(sandbox.ledger().total).toBe(0);
      expect(await client.messages.list()).toHaveLength(0);
      expect(sandbox.stats().faults.twilio).toEqual({ [kind]: 2 });
      expect(sandbox.mpsViolations().byNumber[FROM]).toBeUndefined();
    },
  );

  it('a refused send is still refused by validation first: faults apply to sends that would be accepted', async () => {
    fault('http_503');
    await expect(
      client.messages.create({ to: TO, from: '+14155559999', body: 'x' }),
    ).rejects.toMatchObject({ status: 400, code: 21606 });
    expect(sandbox.stats().faults.twilio).toEqual({});
  });

  it('http_500_after_accept creates the message (ledger, list, lifecycle, callbacks) and answers 500', async () => {
    fault('http_500_after_accept');
    await expect(create()).rejects.toMatchObject({ status: 500, code: 20500 });
    const [entry] = sandbox.ledger({ from: FROM }).entries;
    expect(entry).toMatchObject({ channel: 'sms', from: FROM, to: TO });
    const callbacks = await hooks.waitFor(3, (r) => r.form.MessageSid === entry?.sid);
    expect(callbacks.map((r) => r.form.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
    const listed = await client.messages.list({ to: TO, from: FROM, dateSent: new Date() });
    expect(listed.map((m) => [m.sid, m.status])).toEqual([[entry?.sid, 'delivered']]);
    expect(sandbox.mpsViolations().byNumber[FROM]?.segments).toBe(1);
  });

  it('hang_before_accept holds the request until the SDK times out, and creates nothing', async () => {
    fault('hang_before_accept');
    const started = Date.now();
    await expect(create()).rejects.toMatchObject({
      code: 'ECONNABORTED',
      message: `timeout of ${TIMEOUT_MS}ms exceeded`,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    // The client gave up and closed its socket: the sandbox lets the request go.
    await until(() => sandbox.stats().heldRequests === 0);
    expect(sandbox.ledger().total).toBe(0);
    expect(await client.messages.list()).toHaveLength(0);
    expect(sandbox.mpsViolations().byNumber[FROM]).toBeUndefined();
    expect(sandbox.stats().faults.twilio).toEqual({ hang_before_accept: 1 });
  });

  it('hang_after_accept creates the message but never answers', async () => {
    fault('hang_after_accept');
    const pending = create();
    await until(() => sandbox.stats().heldRequests === 1);
    const [entry] = sandbox.ledger().entries;
    expect(entry?.to).toBe(TO);
    await expect(pending).rejects.toMatchObject({ code: 'ECONNABORTED' });
    await until(() => sandbox.stats().heldRequests === 0);
    await hooks.waitFor(3, (r) => r.form.MessageSid === entry?.sid);
    const listed = await client.messages.list({ to: TO });
    expect(listed.map((m) => m.sid)).toEqual([entry?.sid]);
    expect(sandbox.mpsViolations().byNumber[FROM]?.segments).toBe(1);
  });

  it.each([
    ['reset_before_accept', 0],
    ['reset_after_accept', 1],
  ] as const)('%s tears the connection down without an answer', async (kind, created) => {
    fault(kind);
    await expect(create()).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(sandbox.ledger().total).toBe(created);
    expect(await client.messages.list({ from: FROM })).toHaveLength(created);
    expect(sandbox.mpsViolations().byNumber[FROM]?.segments ?? 0).toBe(created);
    expect(sandbox.stats().faults.twilio).toEqual({ [kind]: 1 });
    // The keep-alive pool recovers: the next send goes through on a fresh connection.
    sandbox.configure({ faults: { twilio: [] } });
    expect((await create()).status).toBe('queued');
  });

  it('close() returns promptly while requests are held, and the clients see their sockets close', async () => {
    const own = await startSandbox({
      config: {
        numbers: [{ phoneNumber: FROM, mps: 1000 }],
        faults: {
          twilio: [{ kind: 'hang_after_accept', share: 0.5 }, { kind: 'hang_before_accept' }],
        },
      },
    });
    const patient = sdkClient(own.url, 60_000);
    const pending = Array.from({ length: 8 }, (_, i) =>
      patient.messages.create({ to: `+1415555300${i}`, from: FROM, body: 'x' }).then(
        () => 'answered',
        (error: { code?: string }) => error.code,
      ),
    );
    await until(() => own.stats().heldRequests === 8);
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(new Set(await Promise.all(pending))).toEqual(new Set(['ECONNRESET']));
  });
});
