import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyBlooioWebhook } from '../../core/blooio-signature.ts';
import { createBlooioClient, type BlooioClient } from '../../activities/carriers/blooio.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { startWebhookRecorder, type WebhookRecorder } from '../../sandbox/webhook-recorder.ts';

const KEY = 'test-blooio-key';
const POOL = ['+14155550101', '+14155550102', '+14155550103'];
const SECRET = 'whsec_test';

describe('sandbox: Blooio v2 API', () => {
  let sandbox: RunningSandbox;
  let hooks: WebhookRecorder;
  let blooio: BlooioClient;
  const post = (chatPath: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${sandbox.url}/v2/api/chats/${chatPath}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    hooks = await startWebhookRecorder();
    sandbox = await startSandbox({
      config: {
        blooio: {
          keys: [
            { key: KEY, kind: 'blooio', numbers: POOL },
            { key: 'twilio-key', kind: 'twilio', numbers: ['+14155550201', '+14155550202'] },
            { key: 'empty-key', kind: 'blooio', numbers: [] },
          ],
          webhookUrl: `${hooks.url}/blooio`,
          webhookSecret: SECRET,
          latencyMs: 5,
        },
      },
    });
    blooio = createBlooioClient({ BLOOIO_API_KEY: KEY, blooioBaseUrl: `${sandbox.url}/v2/api` });
  });
  afterAll(async () => {
    await sandbox.close();
    await hooks.close();
  });
  beforeEach(() => {
    sandbox.reset();
    hooks.requests.length = 0;
  });

  it('accepts with 202 and returns the original with 200 for a repeated Idempotency-Key', async () => {
    const first = await blooio.sendMessage({
      chatId: '+15551234567',
      text: 'Hi!',
      idempotencyKey: 'k-1',
    });
    expect(first).toMatchObject({ kind: 'accepted', status: 202 });
    expect(first.kind === 'accepted' && first.raw).toMatchObject({
      status: 'queued',
      from_number: POOL[0],
    });
    const again = await blooio.sendMessage({
      chatId: '+15551234567',
      text: 'Hi!',
      idempotencyKey: 'k-1',
    });
    expect(again.kind).toBe('duplicate');
    expect(again.kind === 'duplicate' && again.raw).toEqual(first.kind === 'accepted' && first.raw);
    expect(sandbox.ledger({ channel: 'imessage' }).total).toBe(1);
  });

  it('keeps the same number per contact and rotates new conversations across the pool', async () => {
    const senders = [];
    for (let i = 0; i < 3; i += 1) {
      const result = await blooio.sendMessage({
        chatId: `+1555000000${i}`,
        text: 'a',
        idempotencyKey: `r${i}`,
      });
      senders.push(result.kind === 'accepted' ? result.fromNumber : undefined);
    }
    expect(new Set(senders)).toEqual(new Set(POOL));
    const again = await blooio.sendMessage({
      chatId: '+15550000001',
      text: 'b',
      idempotencyKey: 'r-again',
    });
    expect(again.kind === 'accepted' && again.fromNumber).toBe(senders[1]);
  });

  it('Twilio keys take the first number of the pool', async () => {
    const response = await fetch(`${sandbox.url}/v2/api/chats/%2B15551234567/messages`, {
      method: 'POST',
      headers: { Authorization: 'Bearer twilio-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'sms' }),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ from_number: '+14155550201', protocol: 'sms' });
  });

  it.each([
    [
      '%2B15551234567',
      { text: 'x', from_number: '+14155559999' },
      403,
      'This API key does not own the specified from_number',
    ],
    ['911', { text: 'x' }, 403, 'Sending messages to emergency numbers is not allowed'],
    ['%2B1911', { text: 'x' }, 403, 'Sending messages to emergency numbers is not allowed'],
    [
      '+15551234567',
      { text: 'x' },
      400,
      'Invalid phone number format. Phone numbers must be in E.164 format (e.g. +15551234567)',
    ],
    [
      '5551234567',
      { text: 'x' },
      400,
      'Invalid phone number format. Phone numbers must be in E.164 format (e.g. +15551234567)',
    ],
    ['%2B15551234567', {}, 400, 'Missing text: provide text or attachments'],
    [
      '%2B15551234567',
      { text: 'x', metadata: { blob: 'y'.repeat(1100) } },
      400,
      'Metadata exceeds the 1KB limit',
    ],
    ['grp_unknown1', { text: 'x' }, 404, 'Chat or group not found'],
  ])('POST chats/%s %j → %i %s', async (chat, body, status, error) => {
    const response = await post(chat, body);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error, status });
  });

  it('401 for a bad key, 403 for an empty pool, 503 when no number is active', async () => {
    const bad = await post('%2B15551234567', { text: 'x' }, { Authorization: 'Bearer nope' });
    expect(bad.status).toBe(401);
    const empty = await post(
      '%2B15551234567',
      { text: 'x' },
      { Authorization: 'Bearer empty-key' },
    );
    expect(await empty.json()).toEqual({
      error: 'No numbers assigned to this API key',
      status: 403,
    });
    sandbox.setAvailability(POOL, false);
    const result = await blooio.sendMessage({
      chatId: '+15551234567',
      text: 'x',
      idempotencyKey: 'u',
    });
    expect(result).toEqual({
      kind: 'unavailable',
      status: 503,
      error: 'No active number available',
    });
    sandbox.setAvailability([POOL[2] ?? ''], true);
    const back = await blooio.sendMessage({
      chatId: '+15551234567',
      text: 'x',
      idempotencyKey: 'u2',
    });
    expect(back.kind === 'accepted' && back.fromNumber).toBe(POOL[2]);
  });

  it('multi-recipient sends create then reuse an unnamed group; text arrays give message_ids', async () => {
    const first = await post('%2B15551234567,%2B15559876543', { text: 'Hello everyone!' });
    const body = (await first.json()) as Record<string, unknown>;
    expect(first.status).toBe(202);
    expect(body).toMatchObject({
      status: 'queued',
      group_created: true,
      participants: ['+15551234567', '+15559876543'],
    });
    expect(body.group_id).toMatch(/^grp_/);
    const second = (await (
      await post('%2B15559876543,%2B15551234567', { text: ['a', 'b'] })
    ).json()) as Record<string, unknown>;
    expect(second).toMatchObject({ group_id: body.group_id, group_created: false });
    expect(second.message_ids).toHaveLength(2);
    expect(second).not.toHaveProperty('message_id');
    const toGroup = await post(String(body.group_id), { text: 'group' });
    expect(toGroup.status).toBe(202);
    expect(sandbox.ledger({ to: '+15559876543', channel: 'imessage' }).total).toBe(4);
  });

  it('reports status and posts signed message.status webhooks through to delivered', async () => {
    const sent = await blooio.sendMessage({
      chatId: '+15551234567',
      text: 'Hi',
      idempotencyKey: 's',
      metadata: { contact: 7 },
    });
    const id = sent.kind === 'accepted' ? (sent.messageIds[0] ?? '') : '';
    const events = await hooks.waitFor(3, (r) => r.rawBody.includes(id));
    const bodies = events.map((r) => JSON.parse(r.rawBody) as Record<string, unknown>);
    expect(bodies.map((b) => b.status)).toEqual(['queued', 'sent', 'delivered']);
    expect(bodies[2]).toMatchObject({
      event: 'message.status',
      message_id: id,
      metadata: { contact: 7 },
    });
    expect(['imessage', 'sms']).toContain(bodies[2]?.protocol);
    for (const event of events) {
      const header = String(event.headers['x-blooio-signature']);
      expect(verifyBlooioWebhook({ secret: SECRET, rawBody: event.rawBody, header })).toMatchObject(
        { ok: true },
      );
      expect(verifyBlooioWebhook({ secret: 'other', rawBody: event.rawBody, header }).ok).toBe(
        false,
      );
    }
    const status = await blooio.getStatus('+15551234567', id);
    expect(status).toMatchObject({
      kind: 'found',
      message: { messageId: id, status: 'delivered' },
    });
    expect(await blooio.getStatus('+15551234567', 'msg_missing')).toMatchObject({
      kind: 'not_found',
    });
  });

  it('injects message.received in the documented shape and makes that number sticky', async () => {
    const event = sandbox.injectBlooio({
      from: '+15551234567',
      to: POOL[2] ?? '',
      text: 'YES please',
    });
    const [received] = await hooks.waitFor(1, (r) => r.rawBody.includes('message.received'));
    const body = JSON.parse(received?.rawBody ?? '{}') as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      [
        'event',
        'external_id',
        'internal_id',
        'is_group',
        'message_id',
        'protocol',
        'sender',
        'text',
        'timestamp',
      ].sort(),
    );
    expect(body).toMatchObject({
      event: 'message.received',
      external_id: '+15551234567',
      internal_id: POOL[2],
      sender: '+15551234567',
      is_group: false,
      protocol: 'imessage',
      text: 'YES please',
    });
    expect(body.message_id).toBe(event.message_id);
    const reply = await blooio.sendMessage({
      chatId: '+15551234567',
      text: 'Hi!',
      idempotencyKey: 'st',
    });
    expect(reply.kind === 'accepted' && reply.fromNumber).toBe(POOL[2]);
  });

  it('auto-replies when configured, and refuses mixing Blooio and Twilio numbers on a key', async () => {
    sandbox.configure({ blooio: { replies: { share: 1, mix: { 'Sounds good': 1 }, delayMs: 1 } } });
    await blooio.sendMessage({ chatId: '+15551234567', text: 'Hi', idempotencyKey: 'ar' });
    const [reply] = await hooks.waitFor(1, (r) => r.rawBody.includes('Sounds good'));
    expect(JSON.parse(reply?.rawBody ?? '{}')).toMatchObject({
      event: 'message.received',
      sender: '+15551234567',
    });
    const conflict = await fetch(`${sandbox.url}/_sandbox/configure`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        blooio: { keys: [{ key: KEY, kind: 'twilio', numbers: ['+14155550301'] }] },
      }),
    });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({
      error: { code: 'conflict', message: 'API key already owns Blooio numbers' },
    });
  });
});
