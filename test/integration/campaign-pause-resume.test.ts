import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCampaign,
  getCampaign,
  launch,
  waitFor,
  waitForStatus,
} from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

/** For each case's contacts (by area code): a number of their own area code and a far one. */
const SENDERS: Record<string, string[]> = {
  '212': ['+12125550101', '+14155550101'],
  '646': ['+16465550101', '+14155550102'],
};

describe('a pause is not a failure', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: {
        numbers: Object.values(SENDERS)
          .flat()
          .map((phoneNumber) => ({
            phoneNumber,
            mps: 20,
            latencyMs: 150,
          })),
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const post = (campaignId: string, action: string) =>
    stack.api.app.inject({
      method: 'POST',
      url: `/v1/campaigns/${campaignId}/${action}`,
      headers: stack.api.auth,
    });

  const pauseAndResume = async (areaCode: string, waitForIdle: boolean) => {
    const { db } = stack.api.database;
    const phones = contactPhones(300, areaCode);
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE, region: 'NY' })),
    );
    const poolId = await seedPool(
      db,
      (SENDERS[areaCode] ?? []).map((phone) => ({ phone, mps: 20 })),
    );
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
      retry_policy: { max_attempts: 3, backoff_seconds: 1 },
    });
    await launch(stack.api, campaignId);
    const sent = async () =>
      (await stack.sandbox.ledger({ channel: 'sms' })).entries.filter((entry) =>
        phones.includes(entry.to),
      );
    await waitFor('some sends', async () => ((await sent()).length >= 40 ? true : undefined));

    expect((await post(campaignId, 'pause')).statusCode).toBe(202);
    await waitForStatus(stack.api, campaignId, 'paused', 15_000);
    if (waitForIdle) {
      await waitFor(
        'the worker to let go of every send',
        async () => (stack.activitiesInFlight() === 0 ? true : undefined),
        15_000,
      );
    }
    expect((await sent()).length).toBeLessThan(phones.length);

    expect((await post(campaignId, 'resume')).statusCode).toBe(202);
    const done = await waitForStatus(stack.api, campaignId, 'completed', 90_000);

    const ledger = await sent();
    expect(ledger).toHaveLength(phones.length);
    expect(new Set(ledger.map((entry) => entry.to)).size).toBe(phones.length);
    // From a number of the contact's own area code, before and after the pause.
    expect(ledger.filter((entry) => entry.from.slice(0, 5) !== entry.to.slice(0, 5))).toEqual([]);
    expect(done.funnel.retried).toBe(0);
    const rows = await sql<{ attempts: number; n: number }>`
      SELECT attempts, count(*)::int AS n FROM messages WHERE campaign_id = ${campaignId}
       GROUP BY attempts`.execute(db);
    expect(rows.rows).toEqual([{ attempts: 1, n: phones.length }]);
    const attemptRows = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM message_attempts a JOIN messages m ON m.id = a.message_id
       WHERE m.campaign_id = ${campaignId}`.execute(db);
    expect(attemptRows.rows[0]?.n).toBe(phones.length);
    expect((await getCampaign(stack.api, campaignId)).funnel.failed).toBe(0);
  };

  it('resumes every message uncounted, from its local number, attempted once', async () => {
    await pauseAndResume('212', true);
  });

  it('does the same when resumed while the stopped batches are still letting go', async () => {
    await pauseAndResume('646', false);
  });
});
