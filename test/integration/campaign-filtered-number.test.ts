import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, launch, waitForStatus } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const FILTERED = '+12065550701'; // carriers filter everything it sends (30007)
const HEALTHY = ['+12065550702', '+12065550703'];

describe('a number the carriers filter', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    stack = await startCampaignStack({
      env: { HEALTH_MIN_SAMPLES: '5', HEALTH_THRESHOLD: '0.8', HEALTH_COOLDOWN_SECONDS: '600' },
      sandbox: {
        numbers: [
          {
            phoneNumber: FILTERED,
            mps: 5,
            deliveryRate: 0,
            errorMix: { '30007': 1 },
            latencyMs: 5,
          },
          ...HEALTHY.map((phoneNumber) => ({ phoneNumber, mps: 5, latencyMs: 5 })),
        ],
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('cools down, traffic moves to the others, retries leave from them, and the API shows why', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(90, '206');
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE, region: 'WA' })),
    );
    const poolId = await seedPool(
      db,
      [FILTERED, ...HEALTHY].map((phone) => ({ phone, mps: 5 })),
    );
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
      retry_policy: { max_attempts: 3, backoff_seconds: 1 },
    });
    await launch(stack.api, campaignId);
    const done = await waitForStatus(stack.api, campaignId, 'completed', 120_000);
    expect(done.funnel.delivered).toBe(90);

    const pool = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/pools/${poolId}`,
      headers: stack.api.auth,
    });
    expect(pool.statusCode).toBe(200);
    const filtered = pool.json().numbers.find((n: { phone: string }) => n.phone === FILTERED);
    expect(filtered.state).toBe('cooling');
    expect(filtered.recent_changes[0]).toMatchObject({ from: 'active', to: 'cooling' });
    expect(filtered.recent_changes[0].reason).toMatch(/30007/);

    const ledger = (await stack.sandbox.ledger({ channel: 'sms' })).entries;
    const fromFiltered = ledger.filter((entry) => entry.from === FILTERED);
    const coolingAt = Date.parse(filtered.state_changed_at);
    // Once cooling, nothing new leaves from it (sends already on the wire may land a moment later).
    expect(fromFiltered.filter((entry) => Date.parse(entry.at) > coolingAt + 1000)).toEqual([]);
    expect(fromFiltered.length).toBeLessThan(ledger.length / 3);
    for (const entry of fromFiltered) {
      const later = ledger.filter((other) => other.to === entry.to && other.from !== FILTERED);
      expect(later.length, `${entry.to} was retried from a healthy number`).toBe(1);
    }
  });
});
