import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio.ts';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN } from '../../config/env.ts';
import type { NumberInput } from '../../sandbox/config.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { startWebhookRecorder, type WebhookRecorder } from '../../sandbox/webhook-recorder.ts';

const FROM = '+14155550001';
const FAST = { min: 10, max: 30 };

describe('sandbox: Twilio status callbacks', () => {
  let sandbox: RunningSandbox;
  let hooks: WebhookRecorder;
  let client: TwilioClient;

  beforeAll(async () => {
    sandbox = await startSandbox();
    hooks = await startWebhookRecorder();
    client = createTwilioClient({
      TWILIO_ACCOUNT_SID: SANDBOX_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: SANDBOX_AUTH_TOKEN,
      TWILIO_API_KEY_SID: undefined,
      TWILIO_API_KEY_SECRET: undefined,
      twilioBaseUrl: sandbox.url,
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await hooks.close();
  });
  beforeEach(() => {
    sandbox.reset();
    hooks.requests.length = 0;
  });

  const send = async (number: Partial<NumberInput>, to = '+14155551234') => {
    sandbox.configure({ numbers: [{ phoneNumber: FROM, latencyMs: FAST, ...number }] });
    const message = await client.messages.create({
      to,
      from: FROM,
      body: 'Reply YES to learn more',
      statusCallback: `${hooks.url}/status`,
    });
    expect(await sandbox.idle()).toBe(true);
    const callbacks = hooks.requests.filter((r) => r.form.MessageSid === message.sid);
    return { message, callbacks, statuses: callbacks.map((r) => r.form.MessageStatus) };
  };

  it('posts sending, sent, delivered, form-encoded with Twilio parameters', async () => {
    const { message, callbacks, statuses } = await send({});
    expect(statuses).toEqual(['sending', 'sent', 'delivered']);
    expect(callbacks[2]?.form).toEqual({
      AccountSid: SANDBOX_ACCOUNT_SID,
      ApiVersion: '2010-04-01',
      From: FROM,
      MessageSid: message.sid,
      MessageStatus: 'delivered',
      SmsSid: message.sid,
      SmsStatus: 'delivered',
      To: '+14155551234',
    });
    expect(callbacks[0]?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect((await client.messages(message.sid).fetch()).status).toBe('delivered');
  });

  it('signs callbacks so that twilio.validateRequest accepts them and refuses forgeries', async () => {
    const { callbacks } = await send({});
    for (const request of callbacks) {
      const url = `${hooks.url}${request.path}`;
      const signature = String(request.headers['x-twilio-signature']);
      expect(twilio.validateRequest(SANDBOX_AUTH_TOKEN, signature, url, request.form)).toBe(true);
      expect(twilio.validateRequest('another-token', signature, url, request.form)).toBe(false);
      const forged = { ...request.form, MessageStatus: 'failed' };
      expect(twilio.validateRequest(SANDBOX_AUTH_TOKEN, signature, url, forged)).toBe(false);
    }
  });

  it('filtered messages end undelivered with 30007; queue overflow fails with 30001', async () => {
    const filtered = await send({ deliveryRate: 0, errorMix: { '30007': 1 } });
    expect(filtered.statuses).toEqual(['sending', 'sent', 'undelivered']);
    expect(filtered.callbacks[2]?.form.ErrorCode).toBe('30007');
    const fetched = await client.messages(filtered.message.sid).fetch();
    expect(fetched).toMatchObject({
      status: 'undelivered',
      errorCode: 30007,
      errorMessage: 'Message filtered',
    });

    const failed = await send({ deliveryRate: 0, errorMix: { '30001': 1 } });
    expect(failed.statuses).toEqual(['sending', 'failed']);
    expect(failed.callbacks[1]?.form.ErrorCode).toBe('30001');
  });

  it('a landline recipient override ends with 30006 regardless of the number', async () => {
    sandbox.configure({ recipients: [{ phoneNumber: '+14155557777', errorCode: 30006 }] });
    const { statuses, callbacks } = await send({}, '+14155557777');
    expect(statuses).toEqual(['sending', 'sent', 'undelivered']);
    expect(callbacks[2]?.form.ErrorCode).toBe('30006');
  });

  it('duplicates the final callback and delivers sent after delivered when configured', async () => {
    const { statuses, message } = await send({ duplicateRate: 1, outOfOrderRate: 1 });
    expect(statuses).toEqual(['sending', 'delivered', 'sent', 'delivered']);
    expect((await client.messages(message.sid).fetch()).status).toBe('delivered');
  });

  it('outcomes are deterministic for a seed and follow the delivery rate', async () => {
    const run = async (seed: string) => {
      sandbox.reset();
      sandbox.configure({
        seed,
        numbers: [
          {
            phoneNumber: FROM,
            mps: 1000,
            deliveryRate: 0.7,
            latencyMs: 1,
            errorMix: { '30003': 1, '30005': 1 },
          },
        ],
      });
      const sids = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          client.messages.create({
            to: `+1415557${String(i).padStart(4, '0')}`,
            from: FROM,
            body: 'x',
          }),
        ),
      );
      await sandbox.idle();
      const results = await Promise.all(sids.map((m) => client.messages(m.sid).fetch()));
      return results.map((m) => `${m.to}:${m.status}:${m.errorCode ?? ''}`).sort();
    };
    const first = await run('alpha');
    expect(await run('alpha')).toEqual(first);
    expect(await run('beta')).not.toEqual(first);
    const delivered = first.filter((line) => line.includes(':delivered:')).length;
    expect(delivered / first.length).toBeGreaterThan(0.6);
    expect(delivered / first.length).toBeLessThan(0.8);
    expect(first.every((line) => /:(delivered:|undelivered:3000[35])$/.test(line))).toBe(true);
  });

  it('retries a callback whose connection failed', async () => {
    const late = await startWebhookRecorder();
    const url = late.url;
    await late.close();
    sandbox.configure({
      numbers: [{ phoneNumber: FROM, latencyMs: 1 }],
      callbacks: { retries: 2 },
    });
    await client.messages.create({
      to: '+14155551234',
      from: FROM,
      body: 'x',
      statusCallback: `${url}/s`,
    });
    await sandbox.idle();
    expect(sandbox.stats().webhooks.failed).toBeGreaterThanOrEqual(3);
  });
});
