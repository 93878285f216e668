import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio.ts';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN } from '../../config/env.ts';
import { replySchema } from '../../sandbox/config.ts';
import { MpsMeter } from '../../sandbox/mps-meter.ts';
import { planReply } from '../../sandbox/replies.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { startWebhookRecorder, type WebhookRecorder } from '../../sandbox/webhook-recorder.ts';

const FROM = '+14155550001';

describe('sandbox: reply mix', () => {
  it('a share of recipients reply, in the configured proportions, the same for a seed', () => {
    const behaviour = replySchema.parse({
      share: 0.14,
      mix: { YES: 10, STOP: 3, HELP: 1, text: 1 },
    });
    const counts: Record<string, number> = {};
    const n = 20_000;
    for (let i = 0; i < n; i += 1) {
      const plan = planReply(behaviour, 'seed-1', `+1415${String(i).padStart(7, '0')}`);
      const kind =
        plan === null ? 'none' : ['YES', 'STOP', 'HELP'].includes(plan.body) ? plan.body : 'text';
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    const replied = n - (counts.none ?? 0);
    expect(replied / n).toBeCloseTo(0.14, 1);
    expect((counts.YES ?? 0) / replied).toBeCloseTo(10 / 15, 1);
    expect((counts.STOP ?? 0) / replied).toBeCloseTo(3 / 15, 1);
    expect((counts.HELP ?? 0) / replied).toBeGreaterThan(0.04);
    expect((counts.text ?? 0) / replied).toBeGreaterThan(0.04);
    expect(planReply(behaviour, 'seed-1', '+14150000042')).toEqual(
      planReply(behaviour, 'seed-1', '+14150000042'),
    );
  });
});

describe('sandbox: MPS accounting', () => {
  it('counts each wall-clock second in which a sender exceeded its MPS', () => {
    const meter = new MpsMeter();
    for (let i = 0; i < 5; i += 1) meter.record('+1A', 1, 1, 1_000 + i * 10); // 5 in one second
    for (let i = 0; i < 3; i += 1) meter.record('+1A', 1, 1, 5_000 + i * 1_000); // 1 per second
    meter.record('+1B', 3, 2, 9_000); // one 3-segment message above mps 2
    meter.record('+1C', 2, 2, 9_000);
    expect(meter.report()).toEqual({
      total: 2,
      byNumber: {
        '+1A': { violations: 1, peak: 5, segments: 8 },
        '+1B': { violations: 1, peak: 3, segments: 3 },
        '+1C': { violations: 0, peak: 2, segments: 2 },
      },
    });
  });
});

describe('sandbox: inbound replies and opt-outs over HTTP', () => {
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

  it('sending faster than the MPS is counted; within it is not', async () => {
    sandbox.configure({
      numbers: [
        { phoneNumber: FROM, mps: 1, latencyMs: 1 },
        { phoneNumber: '+14155550002', mps: 50, latencyMs: 1 },
      ],
    });
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        client.messages.create({ to: `+1415555100${i}`, from: FROM, body: 'fast' }),
      ),
    );
    for (let i = 0; i < 5; i += 1) {
      await client.messages.create({ to: `+1415555100${i}`, from: '+14155550002', body: 'ok' });
    }
    const report = sandbox.mpsViolations();
    expect(report.byNumber[FROM]?.violations).toBeGreaterThanOrEqual(1);
    expect(report.byNumber['+14155550002']?.violations).toBe(0);
  });

  it('a recipient replies once, signed, to the number inbound URL; STOP then blocks with 21610', async () => {
    sandbox.configure({
      numbers: [{ phoneNumber: FROM, latencyMs: 1, inboundUrl: `${hooks.url}/inbound` }],
      replies: { share: 1, mix: { STOP: 1 }, delayMs: 5 },
    });
    await client.messages.create({ to: '+14155551234', from: FROM, body: 'Reply YES' });
    const [reply] = await hooks.waitFor(1, (r) => r.path === '/inbound');
    expect(reply?.form).toMatchObject({
      From: '+14155551234',
      To: FROM,
      Body: 'STOP',
      NumMedia: '0',
      AccountSid: SANDBOX_ACCOUNT_SID,
      SmsStatus: 'received',
      FromCountry: 'US',
      ApiVersion: '2010-04-01',
    });
    expect(reply?.form.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(reply?.form).not.toHaveProperty('MessagingServiceSid');
    const signature = String(reply?.headers['x-twilio-signature']);
    expect(
      twilio.validateRequest(
        SANDBOX_AUTH_TOKEN,
        signature,
        `${hooks.url}/inbound`,
        reply?.form ?? {},
      ),
    ).toBe(true);
    await expect(
      client.messages.create({ to: '+14155551234', from: FROM, body: 'again' }),
    ).rejects.toMatchObject({ code: 21610 });
    // Another sender is not blocked by a STOP sent to FROM.
    sandbox.configure({ numbers: [{ phoneNumber: '+14155550002', latencyMs: 1 }] });
    await client.messages.create({ to: '+14155551234', from: '+14155550002', body: 'other' });
  });

  it('replies at most once per (sender, recipient); inbound injection reaches the global URL', async () => {
    sandbox.configure({
      inboundUrl: `${hooks.url}/global`,
      numbers: [{ phoneNumber: FROM, latencyMs: 1 }],
      replies: { share: 1, mix: { YES: 1 }, delayMs: 1 },
    });
    for (let i = 0; i < 3; i += 1) {
      await client.messages.create({ to: '+14155551234', from: FROM, body: `m${i}` });
    }
    await sandbox.idle();
    expect(hooks.requests.filter((r) => r.form.Body === 'YES')).toHaveLength(1);
    const injected = sandbox.injectSms({ from: '+14155559876', to: FROM, body: 'HELP' });
    const [help] = await hooks.waitFor(1, (r) => r.form.Body === 'HELP');
    expect(help?.form.MessageSid).toBe(injected.sid);
    const inboundList = await client.messages.list({ to: FROM });
    expect(inboundList.map((m) => m.direction)).toContain('inbound');
  });
});
