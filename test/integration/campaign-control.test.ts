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

const ALWAYS_OPEN = { start: '00:00', end: '24:00' };

describe('pause, resume and cancel', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    const senders = ['+12125550001', '+12125550002', '+13125550001', '+13125550002'];
    stack = await startCampaignStack({
      sandbox: { numbers: senders.map((phoneNumber) => ({ phoneNumber, mps: 20, latencyMs: 5 })) },
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
  const sentTo = async (phones: readonly string[]) => {
    const wanted = new Set(phones);
    const ledger = await stack.sandbox.ledger({ channel: 'sms' });
    return ledger.entries.filter((entry) => wanted.has(entry.to));
  };
  /**
   * Once the campaign says it stopped, its sends may still be on their way: the worker has let
   * go of them when it runs no activity any more (a stopped batch ends once every request it
   * started is answered and stored).
   */
  const workerIdle = (timeoutMs = 15_000) =>
    waitFor(
      'the worker to finish every activity',
      async () => (stack.activitiesInFlight() === 0 ? true : undefined),
      timeoutMs,
    );
  /**
   * A one-contact campaign through the same worker and pool, after the stopped one: once the
   * carrier has its text, the worker has sent again from those numbers, past every slot the
   * stopped campaign had reserved on them. Anything the stopped campaign still had to send
   * would have gone out by then.
   */
  const marker = async (poolId: string, phone: string) => {
    const audienceId = await seedAudience(stack.api.database.db, [
      { phone, timeZone: DAYTIME_ZONE },
    ]);
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: ALWAYS_OPEN,
    });
    await launch(stack.api, campaignId);
    await waitForStatus(stack.api, campaignId, 'completed', 30_000);
    expect(await sentTo([phone])).toHaveLength(1);
  };

  it('pauses mid-way, sends nothing while paused, and resumes to finish exactly once each', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(400, '212');
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE, region: 'NY' })),
    );
    const poolId = await seedPool(db, [
      { phone: '+12125550001', mps: 20 },
      { phone: '+12125550002', mps: 20 },
    ]);
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: ALWAYS_OPEN,
    });
    await launch(stack.api, campaignId);
    await waitFor('some sends', async () =>
      (await sentTo(phones)).length >= 60 ? true : undefined,
    );

    expect((await post(campaignId, 'pause')).statusCode).toBe(202);
    await waitForStatus(stack.api, campaignId, 'paused', 15_000);
    await workerIdle();
    const atPause = (await sentTo(phones)).length;
    expect(atPause).toBeLessThan(400);
    await marker(poolId, '+16465550100');
    expect((await sentTo(phones)).length).toBe(atPause);
    expect((await getCampaign(stack.api, campaignId)).status).toBe('paused');

    expect((await post(campaignId, 'resume')).statusCode).toBe(202);
    const done = await waitForStatus(stack.api, campaignId, 'completed', 90_000);
    const entries = await sentTo(phones);
    expect(entries).toHaveLength(400);
    expect(new Set(entries.map((entry) => entry.to)).size).toBe(400);
    expect(done.funnel.targeted).toBe(400);
    expect(done.funnel.delivered + done.funnel.failed + done.funnel.queued + done.funnel.sent).toBe(
      400,
    );
  });

  it('cancels within seconds and refuses to relaunch a cancelled campaign', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(400, '312');
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE, region: 'IL' })),
    );
    const poolId = await seedPool(db, [
      { phone: '+13125550001', mps: 20 },
      { phone: '+13125550002', mps: 20 },
    ]);
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: ALWAYS_OPEN,
    });
    await launch(stack.api, campaignId);
    await waitFor('some sends', async () =>
      (await sentTo(phones)).length >= 40 ? true : undefined,
    );

    // Within seconds. The API shows `cancelled` at once; the worker then lets go and winds the
    // campaign up (every claim ended, lost answers asked about, the rest cancelled): 30 s.
    expect((await post(campaignId, 'cancel')).statusCode).toBe(202);
    await waitForStatus(stack.api, campaignId, 'cancelled', 15_000);
    await workerIdle(30_000);
    const entries = await sentTo(phones);
    expect(entries.length).toBeLessThan(400);
    await marker(poolId, '+17735550100');
    expect((await sentTo(phones)).length).toBe(entries.length);

    const relaunch = await post(campaignId, 'launch');
    expect(relaunch.statusCode).toBe(409);
    expect(relaunch.json().error.code).toBe('campaign_cancelled');
    expect((await getCampaign(stack.api, campaignId)).status).toBe('cancelled');
  });
});
