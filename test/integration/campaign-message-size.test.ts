import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { seedPool } from '../support/seed.ts';
import { launch, waitForStatus } from '../support/campaigns.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const sender = '+14155550071';

describe('what a campaign sends, by message size and line breaks', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: { numbers: [{ phoneNumber: sender, mps: 50, latencyMs: 5 }] },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('puts a multi-line CSV cell on one line, and skips a render over max_segments as too_many_segments', async () => {
    const { api } = stack;
    const csv =
      'phone,first_name,note\r\n' +
      '+14155550172,"Ann\r\nMarie",see you soon\r\n' +
      `+14155550173,Bob,${'x'.repeat(400)}\r\n`;
    const audience = await api.app.inject({
      method: 'POST',
      url: '/v1/audiences',
      headers: { ...api.auth, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(audience.statusCode, audience.body).toBe(201);
    // Their 415 numbers put them in Los Angeles: moved where it is afternoon, so the legal
    // floor (08:00–21:00 recipient-local) lets them be texted whenever the test runs.
    await api.database.db
      .updateTable('contacts')
      .set({ time_zone: DAYTIME_ZONE })
      .where('phone', 'in', ['+14155550172', '+14155550173'])
      .execute();
    const poolId = await seedPool(api.database.db, [{ phone: sender, mps: 50 }]);
    const created = await api.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: api.auth,
      payload: {
        name: 'message size',
        audience_id: audience.json().id,
        sms_pool_id: poolId,
        steps: [{ template: 'Hi {{first_name}}, {{note|}}' }],
        sending_window: { start: '00:00', end: '24:00' },
        max_segments: 2,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const campaignId: string = created.json().id;
    await launch(api, campaignId);

    const done = await waitForStatus(api, campaignId, 'completed');
    expect(done.funnel).toMatchObject({ targeted: 2, skipped: 1, delivered: 1 });
    expect(done.funnel.skipped_reasons).toEqual({ too_many_segments: 1 });

    const messages = await api.app.inject({
      method: 'GET',
      url: `/v1/campaigns/${campaignId}/messages`,
      headers: api.auth,
    });
    const byPhone = new Map(
      messages.json().messages.map((m: { to: string }) => [m.to, m] as const),
    );
    expect(byPhone.get('+14155550173')).toMatchObject({
      status: 'skipped',
      skip_reason: 'too_many_segments',
      provider_sid: null,
    });
    expect(byPhone.get('+14155550172')).toMatchObject({
      status: 'delivered',
      body: 'Hi Ann Marie, see you soon',
      segments: 1,
    });

    const ledger = await stack.sandbox.ledger({ channel: 'sms' });
    expect(ledger.entries.map((entry) => [entry.to, entry.body])).toEqual([
      ['+14155550172', 'Hi Ann Marie, see you soon'],
    ]);
  });
});
