import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, launch, waitForStatus } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const FLAKY = '+14155550201'; // every message ends 30003 (unreachable handset: transient)
const GOOD = ['+14155550202', '+14155550203'];

describe('user-side retry', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: {
        numbers: [
          { phoneNumber: FLAKY, mps: 50, deliveryRate: 0, errorMix: { '30003': 1 }, latencyMs: 5 },
          ...GOOD.map((phoneNumber) => ({ phoneNumber, mps: 50, latencyMs: 5 })),
        ],
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('retries transient failures from a different number and ends permanent ones; the funnel adds up', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(150, '415');
    const landlines = phones.slice(0, 5);
    stack.sandbox.configure({
      recipients: landlines.map((phoneNumber) => ({ phoneNumber, errorCode: 30006 })),
    });
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const poolId = await seedPool(
      db,
      [FLAKY, ...GOOD].map((phone) => ({ phone, mps: 50 })),
    );
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
      retry_policy: { max_attempts: 3, backoff_seconds: 1 },
    });
    await launch(stack.api, campaignId);
    const done = await waitForStatus(stack.api, campaignId, 'completed', 120_000);

    const attempts = await sql<{ message_id: string; numbers: string[]; n: number }>`
      SELECT a.message_id::text, array_agg(a.from_number_id::text ORDER BY a.attempt) AS numbers, count(*)::int AS n
        FROM message_attempts a JOIN messages m ON m.id = a.message_id
       WHERE m.campaign_id = ${campaignId} GROUP BY a.message_id`.execute(db);
    const retried = attempts.rows.filter((row) => row.n > 1);
    expect(retried.length).toBeGreaterThan(0);
    for (const row of retried) expect(new Set(row.numbers).size).toBe(row.numbers.length);

    const ledger = await stack.sandbox.ledger({ channel: 'sms' });
    const byRecipient = new Map<string, string[]>();
    for (const entry of ledger.entries)
      byRecipient.set(entry.to, [...(byRecipient.get(entry.to) ?? []), entry.from]);
    for (const [recipient, senders] of byRecipient) {
      expect(new Set(senders).size, `${recipient} got two texts from one number`).toBe(
        senders.length,
      );
      if (senders.length > 1) expect(senders[0]).toBe(FLAKY);
    }
    for (const landline of landlines) {
      const row = await db
        .selectFrom('messages')
        .select(['status', 'error_code', 'attempts'])
        .where('to_phone', '=', landline)
        .where('campaign_id', '=', campaignId)
        .executeTakeFirstOrThrow();
      // A landline is not worth another attempt: failed once, never retried.
      expect(row).toEqual({ status: 'undelivered', error_code: 30006, attempts: row.attempts });
      expect(byRecipient.get(landline)?.length).toBe(row.attempts);
      if (byRecipient.get(landline)?.[0] !== FLAKY) expect(row.attempts).toBe(1);
    }

    const f = done.funnel;
    expect(f.targeted).toBe(150);
    expect(f.skipped + f.deferred + f.sending + f.queued + f.sent + f.delivered + f.failed).toBe(
      f.targeted,
    );
    expect(f.delivered).toBe(150 - landlines.length);
    expect(f.failed).toBe(landlines.length);
    expect(f.retried).toBe(retried.length);
  });
});
