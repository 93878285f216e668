import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, launch, waitForStatus } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';

const senders = ['+14155550101', '+14155550102'];

describe('activity over time (the console charts)', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: { numbers: senders.map((phoneNumber) => ({ phoneNumber, mps: 50 })) },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('buckets what a campaign sent and delivered, per sender too, and per number', async () => {
    const { db } = stack.api.database;
    const { client } = stack.api;
    const audienceId = await seedAudience(
      db,
      contactPhones(60).map((phone) => ({ phone })),
    );
    const poolId = await seedPool(
      db,
      senders.map((phone) => ({ phone, mps: 50 })),
    );
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
    });

    const before = await client.GET('/v1/campaigns/{id}/activity', {
      params: { path: { id: campaignId } },
    });
    expect(before.data).toMatchObject({ from: null, buckets: [], senders: [] });

    await launch(stack.api, campaignId);
    await waitForStatus(stack.api, campaignId, 'completed');
    const { data, response } = await client.GET('/v1/campaigns/{id}/activity', {
      params: { path: { id: campaignId } },
    });
    expect(response.status).toBe(200);
    const activity = data!;
    expect(activity.buckets.length).toBeGreaterThan(0);
    const total = (key: 'sent' | 'delivered' | 'failed') =>
      activity.buckets.reduce((sum, bucket) => sum + bucket[key], 0);
    expect(total('sent')).toBe(60);
    expect(total('delivered')).toBe(60);
    expect(total('failed')).toBe(0);
    // Buckets are consecutive steps from the launch's bucket.
    const starts = activity.buckets.map((bucket) => Date.parse(bucket.at));
    for (let i = 1; i < starts.length; i += 1)
      expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBe(activity.bucket_seconds * 1000);
    expect(activity.senders.map((sender) => sender.from).sort()).toEqual(senders);
    expect(activity.senders.reduce((sum, sender) => sum + sender.sent, 0)).toBe(60);
    expect(activity.senders.every((sender) => sender.delivery_rate === 1)).toBe(true);
    expect(activity.schedule_ui_url).toBeNull();

    const first = activity.senders[0]!;
    const number = await client.GET('/v1/pools/{id}/numbers/{phone}/activity', {
      params: { path: { id: poolId, phone: first.from } },
    });
    expect(number.response.status).toBe(200);
    const sent = number.data!.buckets.reduce((sum, bucket) => sum + bucket.sent, 0);
    expect(sent).toBe(first.sent);
    expect(number.data!.buckets.some((bucket) => bucket.delivery_rate === 1)).toBe(true);

    const missing = await client.GET('/v1/pools/{id}/numbers/{phone}/activity', {
      params: { path: { id: poolId, phone: '+14155559999' } },
    });
    expect(missing.response.status).toBe(404);
  });
});
