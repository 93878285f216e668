import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const FLAKY = '+14155550211'; // every message ends 30003 (unreachable handset: transient)
const GOOD = ['+14155550212', '+14155550213'];

/** One-off sends retry and take statuses exactly as campaign messages do. */
describe('one-off sends: user-side retry', () => {
  let stack: CampaignStack;
  let poolId: string;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: {
        numbers: [
          { phoneNumber: FLAKY, mps: 50, deliveryRate: 0, errorMix: { '30003': 1 }, latencyMs: 5 },
          ...GOOD.map((phoneNumber) => ({ phoneNumber, mps: 50, latencyMs: 5 })),
        ],
      },
    });
    poolId = await seedPool(
      stack.api.database.db,
      [FLAKY, ...GOOD].map((phone) => ({ phone, mps: 50 })),
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('retries a transient failure from another number, ends a landline at once, and shows each outcome', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(40, '415');
    const landline = phones[0]!;
    stack.sandbox.configure({ recipients: [{ phoneNumber: landline, errorCode: 30006 }] });
    await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const ids = new Map<string, string>();
    for (const to of phones) {
      const { data, error, response } = await stack.api.client.POST('/v1/messages', {
        body: {
          to,
          body: 'Your appointment is tomorrow at 10:00.',
          pool_id: poolId,
          retry_policy: { max_attempts: 3, backoff_seconds: 1 },
        },
      });
      expect(response.status, JSON.stringify(error)).toBe(202);
      ids.set(to, data!.id);
    }
    const finished = new Set(['delivered', 'undelivered', 'failed']);
    const messages = await waitFor(
      'every one-off to finish',
      async () => {
        const all = await Promise.all(
          [...ids.values()].map(async (id) => {
            const { data } = await stack.api.client.GET('/v1/messages/{id}', {
              params: { path: { id } },
            });
            return data!;
          }),
        );
        return all.every((message) => finished.has(message.status)) ? all : undefined;
      },
      90_000,
    );

    const landlineMessage = messages.find((message) => message.to === landline)!;
    expect(landlineMessage).toMatchObject({ status: 'undelivered', error_code: 30006 });
    const others = messages.filter((message) => message.to !== landline);
    for (const message of others) expect(message.status, message.to).toBe('delivered');

    // The transient failures went out again, each time from a number the person had not been
    // texted from; no one got the same text twice from one number.
    const ledger = await stack.sandbox.ledger({ channel: 'sms' });
    const byRecipient = new Map<string, string[]>();
    for (const entry of ledger.entries)
      byRecipient.set(entry.to, [...(byRecipient.get(entry.to) ?? []), entry.from]);
    const retried = [...byRecipient.values()].filter((senders) => senders.length > 1);
    expect(retried.length).toBeGreaterThan(0);
    for (const senders of retried) {
      expect(new Set(senders).size).toBe(senders.length);
      expect(senders[0]).toBe(FLAKY);
    }
    for (const message of others) {
      const senders = byRecipient.get(message.to) ?? [];
      expect(message.attempts, message.to).toBe(senders.length);
      expect(message.from).toBe(senders.at(-1));
    }
    // A landline is not worth another attempt.
    expect(byRecipient.get(landline)).toHaveLength(landlineMessage.attempts);
    if (byRecipient.get(landline)?.[0] !== FLAKY) expect(landlineMessage.attempts).toBe(1);
  });
});
