import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE, zoneAtLocalHour } from '../support/zones.ts';

const AREA_CODES = ['415', '212', '312', '617', '305'];
/** Ten senders, two per area code. */
const SENDERS = AREA_CODES.flatMap((code) => [`+1${code}5550001`, `+1${code}5550002`]);
const MPS = 20;

interface Sent {
  id: string;
  to: string;
  from: string | null;
  sender_reason: string | null;
  status: string;
  deferred_until: string | null;
  wait_reason: string | null;
}

describe('one-off sends through a pool', () => {
  let stack: CampaignStack;
  let poolId: string;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: {
        numbers: SENDERS.map((phoneNumber) => ({
          phoneNumber,
          mps: MPS,
          latencyMs: { min: 5, max: 30 },
        })),
      },
    });
    poolId = await seedPool(
      stack.api.database.db,
      SENDERS.map((phone) => ({ phone, mps: MPS })),
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  const send = (payload: Record<string, unknown>) =>
    stack.api.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: stack.api.auth,
      payload: { pool_id: poolId, ...payload },
    });
  const get = (id: string) =>
    stack.api.app.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: stack.api.auth });

  it('sends 1,000 through a 10-number pool from local numbers, each under its MPS', async () => {
    const { db } = stack.api.database;
    const phones = AREA_CODES.flatMap((code) => contactPhones(200, code));
    await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const accepted: Sent[] = [];
    const queue = [...phones];
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        for (let to = queue.shift(); to !== undefined; to = queue.shift()) {
          const response = await send({ to, body: 'Your order is ready for pickup.' });
          expect(response.statusCode, response.body).toBe(202);
          accepted.push(response.json());
        }
      }),
    );
    expect(accepted).toHaveLength(1000);
    for (const message of accepted) {
      expect(message.status).toBe('pending');
      expect(SENDERS).toContain(message.from);
      expect(message.sender_reason).toBe('geomatch_area_code');
      expect(message.from?.slice(2, 5)).toBe(message.to.slice(2, 5));
    }

    await waitFor(
      'every one-off delivered',
      async () => {
        const row = await db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('campaign_id', 'is', null)
          .where('status', '=', 'delivered')
          .executeTakeFirstOrThrow();
        return Number(row.n) === 1000 ? true : undefined;
      },
      120_000,
    );
    const ledger = await stack.sandbox.ledger({ channel: 'sms' });
    expect(ledger.total).toBe(1000);
    expect(new Set(ledger.entries.map((entry) => entry.to)).size).toBe(1000);
    const fromByTo = new Map(accepted.map((message) => [message.to, message.from]));
    for (const entry of ledger.entries) {
      expect(entry.from).toBe(fromByTo.get(entry.to));
      expect(entry.from.slice(2, 5)).toBe(entry.to.slice(2, 5));
    }
    // Spread within each area code, not clumped on one number.
    const perSender = new Map<string, number>();
    for (const entry of ledger.entries)
      perSender.set(entry.from, (perSender.get(entry.from) ?? 0) + 1);
    for (const sender of SENDERS) expect(perSender.get(sender)).toBe(100);
    const mps = await stack.sandbox.mpsViolations();
    expect(mps.total).toBe(0);
    for (const sender of SENDERS) expect(mps.byNumber[sender]?.peak).toBeLessThanOrEqual(MPS);

    const first = accepted[0];
    if (first === undefined) throw new Error('nothing accepted');
    const shown = await get(first.id);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({
      id: first.id,
      campaign_id: null,
      pool_id: poolId,
      to: first.to,
      from: first.from,
      status: 'delivered',
      segments: 1,
      num_media: 0,
      media_urls: [],
      error_code: null,
      attempts: 1,
    });
    expect(shown.json().sent_at).not.toBeNull();

    // The pool remembers: the next text to the same person leaves from the same number.
    const again = await send({ to: first.to, body: 'One more thing.' });
    expect(again.statusCode, again.body).toBe(202);
    expect(again.json()).toMatchObject({ from: first.from, sender_reason: 'sticky' });
  }, 180_000);

  it('sends from an explicit from_number of the pool, and refuses one outside it with 403', async () => {
    const [to] = contactPhones(1, '415').map((phone) => phone.replace('+1415', '+14159'));
    const phone = to?.slice(0, 12) ?? '';
    await seedAudience(stack.api.database.db, [{ phone, timeZone: DAYTIME_ZONE }]);
    const chosen = await send({ to: phone, body: 'From the boss', from_number: '+13055550002' });
    expect(chosen.statusCode, chosen.body).toBe(202);
    expect(chosen.json()).toMatchObject({ from: '+13055550002', sender_reason: 'explicit' });

    const refused = await send({ to: phone, body: 'Hi', from_number: '+19995550100' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({
      error: {
        code: 'from_number_not_owned',
        message: 'This API key does not own the specified from_number',
        details: null,
      },
    });
  });

  it('refuses an opted-out recipient, an invalid to and an unknown pool', async () => {
    const [phone] = contactPhones(1, '617').map((p) => p.replace('+1617', '+16179'));
    const optedOut = phone?.slice(0, 12) ?? '';
    await seedAudience(stack.api.database.db, [
      { phone: optedOut, timeZone: DAYTIME_ZONE, optedOut: true },
    ]);
    const refused = await send({ to: optedOut, body: 'Hello?' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('contact_opted_out');

    const invalid = await send({ to: '12', body: 'Hi' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatchObject({ code: 'invalid_to' });
    expect(invalid.json().error.message).toContain('12');

    const unknownPool = await send({
      to: '+14155550123',
      body: 'Hi',
      pool_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownPool.statusCode).toBe(404);
    expect(unknownPool.json().error.code).toBe('not_found');

    for (const payload of [
      { to: '+14155550123', body: 'a\u0000b' },
      { to: '+14155550123', body: 'x'.repeat(1601) },
      { to: '+14155550123', body: 5 },
      { to: '+14155550123', body: 'Hi', pool_id: 'not-a-uuid' },
      { to: '+14155550123', body: 'Hi', surprise: true },
    ]) {
      const bad = await send(payload);
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
      expect(bad.json().error.code).toBe('invalid_request');
    }
    const missing = await get('999999999');
    expect(missing.statusCode).toBe(404);
    expect((await get('abc')).statusCode).toBe(400);
  });

  it('schedules a send outside the recipient’s hours for their window, and says so', async () => {
    const phone = '+13125559876';
    await seedAudience(stack.api.database.db, [{ phone, timeZone: zoneAtLocalHour(3) }]);
    const response = await send({ to: phone, body: 'Good morning' });
    expect(response.statusCode, response.body).toBe(202);
    const message: Sent = response.json();
    expect(message).toMatchObject({ status: 'scheduled', wait_reason: 'quiet_hours', from: null });
    const opensAt = Date.parse(message.deferred_until ?? '');
    // 03:00 local: the window opens at 08:00, five hours on.
    expect(opensAt - Date.now()).toBeGreaterThan(4 * 3600_000);
    expect(opensAt - Date.now()).toBeLessThan(6 * 3600_000);
    const shown = await get(message.id);
    expect(shown.json()).toMatchObject({ status: 'scheduled', wait_reason: 'quiet_hours' });
    const ledger = await stack.sandbox.ledger({ to: phone });
    expect(ledger.total).toBe(0);
  });
});
