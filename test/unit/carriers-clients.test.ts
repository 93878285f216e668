import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlooioClient } from '../../activities/carriers/blooio.ts';
import { createTwilioClient } from '../../activities/carriers/twilio.ts';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN } from '../../config/env.ts';
import { signBlooioWebhook, verifyBlooioWebhook } from '../../core/blooio-signature.ts';
import { SandboxClient } from '../../sandbox/client.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';

describe('core/blooio-signature', () => {
  const body = '{"event":"message.received","text":"YES"}';
  it('signs as t=<unix>,v1=<hex hmac-sha256 of "t.body"> and verifies within five minutes', () => {
    const header = signBlooioWebhook('whsec_x', body, 1_735_324_800);
    expect(header).toMatch(/^t=1735324800,v1=[0-9a-f]{64}$/);
    expect(
      verifyBlooioWebhook({ secret: 'whsec_x', rawBody: body, header, nowSeconds: 1_735_324_900 }),
    ).toEqual({ ok: true, timestamp: 1_735_324_800 });
    expect(
      verifyBlooioWebhook({ secret: 'whsec_x', rawBody: body, header, nowSeconds: 1_735_325_200 }),
    ).toEqual({ ok: false, reason: 'stale' });
    expect(
      verifyBlooioWebhook({
        secret: 'whsec_x',
        rawBody: `${body} `,
        header,
        nowSeconds: 1_735_324_800,
      }),
    ).toEqual({ ok: false, reason: 'mismatch' });
    expect(
      verifyBlooioWebhook({ secret: 'whsec_y', rawBody: body, header, nowSeconds: 1_735_324_800 })
        .ok,
    ).toBe(false);
    expect(verifyBlooioWebhook({ secret: 'whsec_x', rawBody: body, header: undefined }).ok).toBe(
      false,
    );
    expect(verifyBlooioWebhook({ secret: 'whsec_x', rawBody: body, header: 'garbage' })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('carrier clients against the sandbox', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ config: { numbers: [{ phoneNumber: '+14155550001' }] } });
  });
  afterAll(() => sandbox.close());

  it('the twilio client talks to twilioBaseUrl, not api.twilio.com', async () => {
    const client = createTwilioClient({
      TWILIO_ACCOUNT_SID: SANDBOX_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: SANDBOX_AUTH_TOKEN,
      TWILIO_API_KEY_SID: undefined,
      TWILIO_API_KEY_SECRET: undefined,
      twilioBaseUrl: `${sandbox.url}/`,
    });
    expect(client.api.baseUrl).toBe(sandbox.url);
    const message = await client.messages.create({
      to: '+14155551234',
      from: '+14155550001',
      body: 'hi',
    });
    expect(sandbox.ledger({ to: '+14155551234' }).entries.map((e) => e.sid)).toEqual([message.sid]);
    const real = createTwilioClient({
      TWILIO_ACCOUNT_SID: SANDBOX_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: SANDBOX_AUTH_TOKEN,
      TWILIO_API_KEY_SID: undefined,
      TWILIO_API_KEY_SECRET: undefined,
      twilioBaseUrl: undefined,
    });
    expect(real.api.baseUrl).toBe('https://api.twilio.com');
  });

  it('the blooio client URL-encodes chat ids and maps every answer to a result kind', async () => {
    const blooio = createBlooioClient({
      BLOOIO_API_KEY: 'blooio-sandbox-key',
      blooioBaseUrl: `${sandbox.url}/v2/api`,
    });
    const sent = await blooio.sendMessage({
      chatId: '+15551234567',
      text: ['a', 'b'],
      idempotencyKey: 'x1',
    });
    expect(sent).toMatchObject({ kind: 'accepted', status: 202 });
    expect(sent.kind === 'accepted' && sent.messageIds).toHaveLength(2);
    expect(
      await blooio.sendMessage({ chatId: '911', text: 'x', idempotencyKey: 'x2' }),
    ).toMatchObject({ kind: 'rejected', status: 403 });
    expect(
      await blooio.sendMessage({ chatId: 'bob@example.com', text: 'x', idempotencyKey: 'x3' }),
    ).toMatchObject({ kind: 'accepted', protocol: 'imessage' });
    const badKey = createBlooioClient({
      BLOOIO_API_KEY: 'nope',
      blooioBaseUrl: `${sandbox.url}/v2/api`,
    });
    expect(
      await badKey.sendMessage({ chatId: '+15551234567', text: 'x', idempotencyKey: 'x4' }),
    ).toMatchObject({ kind: 'unauthorized', status: 401 });
  });

  it('the control API validates input, filters the ledger and resets', async () => {
    const control = new SandboxClient(sandbox.url);
    await expect(control.configure({ numbers: [{ phoneNumber: 'bad' }] })).rejects.toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request' } },
    });
    await control.configure({ numbers: [{ phoneNumber: '+14155550009', mps: 3 }], seed: 's' });
    const config = await control.config();
    expect(config.seed).toBe('s');
    const ledger = await control.ledger({ channel: 'sms' });
    expect(ledger.entries.every((e) => e.channel === 'sms')).toBe(true);
    const injected = await control.injectSms({
      from: '+14155551234',
      to: '+14155550001',
      body: 'STOP',
    });
    expect(injected.direction).toBe('inbound');
    expect((await control.mpsViolations()).total).toBe(0);
    await control.reset();
    expect((await control.ledger()).total).toBe(0);
    expect(((await control.config()).numbers as unknown[]).length).toBe(1);
  });
});
