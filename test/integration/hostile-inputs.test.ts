import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAudience, seedPool } from '../support/seed.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

const HUGE = '99999999999999999999999';
const NUL = 'bad\u0000name';

/** Inputs a probe found reaching a 500: each is a 4xx with the JSON error format now. */
describe('hostile input', () => {
  let api: TestApi;
  let poolId: string;
  let campaignId: string;
  beforeAll(async () => {
    api = await startTestApi();
    const { db } = api.database;
    poolId = await seedPool(db, [{ phone: '+14155550100', mps: 10 }]);
    const audienceId = await seedAudience(db, [{ phone: '+14155550123' }]);
    const created = await api.client.POST('/v1/campaigns', {
      body: {
        name: 'hostile',
        audience_id: audienceId,
        sms_pool_id: poolId,
        steps: [{ template: 'Hi' }],
      },
    });
    campaignId = created.data!.id;
  });
  afterAll(async () => {
    await api.close();
  });

  const request = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    api.app.inject({
      method,
      url,
      headers: api.auth,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  const refused = async (response: Awaited<ReturnType<typeof request>>, what: string) => {
    expect(response.statusCode, `${what}: ${response.body}`).toBeGreaterThanOrEqual(400);
    expect(response.statusCode, `${what}: ${response.body}`).toBeLessThan(500);
    expect(response.json().error.code, what).toEqual(expect.any(String));
    expect(response.body, what).not.toMatch(/invalid byte sequence|out of range|at .*\.ts:\d+/);
  };

  it('refuses a NUL byte in any text field', async () => {
    await refused(
      await request('POST', '/v1/pools', { name: NUL, provider: 'twilio' }),
      'pool name',
    );
    await refused(
      await request('POST', `/v1/pools/${poolId}/numbers`, { phone: '+14155550199', region: NUL }),
      'number region',
    );
    await refused(
      await request('PATCH', `/v1/campaigns/${campaignId}`, { name: NUL }),
      'campaign name',
    );
    await refused(
      await request('PATCH', `/v1/campaigns/${campaignId}`, { steps: [{ template: `Hi ${NUL}` }] }),
      'template',
    );
    await refused(await request('GET', `/v1/campaigns?q=${encodeURIComponent(NUL)}`), '?q=');
    await refused(
      await request('POST', '/v1/suppression-lists', { name: NUL }),
      'suppression list name',
    );
  });

  it('refuses ids and cursors out of range', async () => {
    for (const url of [
      `/v1/campaigns/${campaignId}/messages?cursor=${HUGE}`,
      `/v1/contacts/${HUGE}`,
      `/v1/messages/${HUGE}`,
      `/v1/conversations/${HUGE}`,
      `/v1/consent-events?cursor=${HUGE}`,
      `/v1/campaigns?cursor=${HUGE}`,
      `/v1/contacts?cursor=${HUGE}`,
    ])
      await refused(await request('GET', url), url);
  });

  it('refuses a drip cron that cannot fire', async () => {
    for (const cron of ['a b c d e', '99 99 99 99 99', '0 0 31 2 *']) {
      const response = await request('PATCH', `/v1/campaigns/${campaignId}`, {
        drip: { cron, time_zone: 'UTC' },
      });
      expect(response.statusCode, cron).toBe(400);
      expect(response.json().error.message, cron).toMatch(/cron/);
    }
    const fine = await request('PATCH', `/v1/campaigns/${campaignId}`, {
      drip: { cron: '0 9 * * 1-5', time_zone: 'America/New_York' },
    });
    expect(fine.statusCode, fine.body).toBe(200);
  });
});
