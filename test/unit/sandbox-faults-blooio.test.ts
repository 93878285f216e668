import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBlooioClient, type BlooioClient } from '../../activities/carriers/blooio.ts';
import type { FaultKind, FaultRuleInput } from '../../sandbox/config.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';

const KEY = 'test-blooio-key';
const POOL = ['+14155550101', '+14155550102', '+14155550103'];
const CONTACT = '+15551234567';

describe('sandbox faults: Blooio sends', () => {
  let sandbox: RunningSandbox;
  let blooio: BlooioClient;
  const post = (body: unknown, headers: Record<string, string> = {}, timeoutMs = 10_000) =>
    fetch(`${sandbox.url}/v2/api/chats/${encodeURIComponent(CONTACT)}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  const faults = (...rules: FaultRuleInput[]) => sandbox.configure({ faults: { blooio: rules } });
  const fault = (kind: FaultKind) => faults({ kind });

  beforeAll(async () => {
    sandbox = await startSandbox({
      config: { blooio: { keys: [{ key: KEY, kind: 'blooio', numbers: POOL }], latencyMs: 5 } },
    });
    blooio = createBlooioClient({ BLOOIO_API_KEY: KEY, blooioBaseUrl: `${sandbox.url}/v2/api` });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it.each([
    ['http_429', 429, 'Too Many Requests'],
    ['http_500', 500, 'Internal Server Error'],
    ['http_503', 503, 'No active number available'],
  ] as const)('%s refuses before accept in Blooio shape', async (kind, status, error) => {
    fault(kind);
    const response = await post({ text: 'Hi' });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error, status });
    expect(sandbox.ledger().total).toBe(0);
    expect(sandbox.stats()).toMatchObject({ blooioMessages: 0, faults: { blooio: { [kind]: 1 } } });
  });

  it('a 503 storm reads as "no active number" to the client; a refused send sticks no line', async () => {
    faults({ kind: 'http_503', limit: 1 });
    const refused = await blooio.sendMessage({ chatId: CONTACT, text: 'Hi', idempotencyKey: 'k' });
    expect(refused).toEqual({
      kind: 'unavailable',
      status: 503,
      error: 'No active number available',
    });
    // The retry with the same key is a new attempt: neither the refusal nor its line (POOL[0],
    // the rotation's first) was remembered, so the rotation's next line takes the contact.
    const retried = await blooio.sendMessage({ chatId: CONTACT, text: 'Hi', idempotencyKey: 'k' });
    expect(retried).toMatchObject({ kind: 'accepted', status: 202, fromNumber: POOL[1] });
    const next = await blooio.sendMessage({ chatId: CONTACT, text: 'Hi', idempotencyKey: 'k2' });
    expect(next).toMatchObject({ kind: 'accepted', fromNumber: POOL[1] });
  });

  it('a rule for some numbers hits the sends on those lines only (explicit or chosen)', async () => {
    faults({ kind: 'http_503', numbers: [POOL[1] ?? ''] });
    expect((await post({ text: 'x', from_number: POOL[1] })).status).toBe(503);
    expect((await post({ text: 'x', from_number: POOL[0] })).status).toBe(202);
    // The rotation hands new contacts POOL[0], POOL[1], POOL[2]: only the POOL[1] send is refused.
    const statuses = [];
    for (const chatId of ['+15550000001', '+15550000002', '+15550000003']) {
      statuses.push(
        (await blooio.sendMessage({ chatId, text: 'x', idempotencyKey: chatId })).status,
      );
    }
    expect(statuses).toEqual([202, 503, 202]);
    const lines = sandbox.ledger().entries.map((entry) => entry.from);
    expect(lines).toEqual([POOL[0], POOL[0], POOL[2]]);
    expect(sandbox.faults().blooio).toMatchObject({ fired: { http_503: 2 }, firedPerRule: [2] });
  });

  it('http_500_after_accept creates the message; a retry with the same key gets the original', async () => {
    fault('http_500_after_accept');
    const first = await post({ text: 'Hi' }, { 'Idempotency-Key': 'k-500' });
    expect(first.status).toBe(500);
    expect(await first.json()).toEqual({ error: 'Internal Server Error', status: 500 });
    const [entry] = sandbox.ledger().entries;
    expect(entry).toMatchObject({ channel: 'imessage', to: CONTACT, from: POOL[0] });
    const again = await blooio.sendMessage({
      chatId: CONTACT,
      text: 'Hi',
      idempotencyKey: 'k-500',
    });
    expect(again).toMatchObject({ kind: 'duplicate', status: 200, messageIds: [entry?.sid] });
    expect(await sandbox.idle()).toBe(true);
    const status = await blooio.getStatus(CONTACT, entry?.sid ?? '');
    expect(status).toMatchObject({ kind: 'found', message: { status: 'delivered' } });
  });

  it('hang_before_accept holds the request until the client aborts, creating nothing', async () => {
    fault('hang_before_accept');
    await expect(post({ text: 'Hi' }, { 'Idempotency-Key': 'k-hang' }, 1000)).rejects.toMatchObject(
      {
        name: 'TimeoutError',
      },
    );
    expect(sandbox.ledger().total).toBe(0);
    sandbox.configure({ faults: { blooio: [] } });
    expect((await post({ text: 'Hi' }, { 'Idempotency-Key': 'k-hang' })).status).toBe(202);
  });

  it('hang_after_accept creates every message of the send, and the retry is a duplicate', async () => {
    fault('hang_after_accept');
    const texts = ['one', 'two'];
    await expect(
      post({ text: texts }, { 'Idempotency-Key': 'k-held' }, 1000),
    ).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(sandbox.ledger().entries.map((entry) => entry.body)).toEqual(texts);
    const retry = await post({ text: texts }, { 'Idempotency-Key': 'k-held' });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({
      message_ids: sandbox.ledger().entries.map((entry) => entry.sid),
    });
  });

  it.each([
    ['reset_before_accept', 0],
    ['reset_after_accept', 1],
  ] as const)('%s tears the connection down', async (kind, created) => {
    fault(kind);
    await expect(post({ text: 'Hi' })).rejects.toMatchObject({
      message: 'fetch failed',
      cause: { code: 'ECONNRESET' },
    });
    expect(sandbox.ledger().total).toBe(created);
    expect(sandbox.stats().faults.blooio).toEqual({ [kind]: 1 });
  });

  describe('close()', () => {
    let own: RunningSandbox;
    const send = (i: number, signal?: AbortSignal) =>
      fetch(`${own.url}/v2/api/chats/%2B1555000000${i}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: 'x' }),
        signal,
      });
    const held = async (count: number) => {
      const deadline = Date.now() + 5_000;
      while (own.stats().heldRequests !== count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(own.stats().heldRequests).toBe(count);
    };
    const closeTime = async () => {
      const started = Date.now();
      await own.close();
      return Date.now() - started;
    };

    beforeEach(async () => {
      own = await startSandbox({
        config: {
          blooio: { keys: [{ key: KEY, kind: 'blooio', numbers: POOL }] },
          faults: { blooio: [{ kind: 'hang_before_accept' }] },
        },
      });
    });

    it('lets go of held requests at once: their clients see the connection close', async () => {
      const pending = Array.from({ length: 4 }, (_, i) =>
        send(i).then(
          () => 'answered',
          (error: Error) => error.message,
        ),
      );
      await held(4);
      expect(await closeTime()).toBeLessThan(1_000);
      expect(await Promise.all(pending)).toEqual(Array(4).fill('fetch failed'));
    });

    it('is prompt after a client aborted a held request', async () => {
      // undici opens a fresh connection after the abort and keeps it, unused, for seconds.
      await expect(send(0, AbortSignal.timeout(100))).rejects.toMatchObject({
        name: 'TimeoutError',
      });
      await held(0);
      expect(await closeTime()).toBeLessThan(1_000);
    });
  });
});
