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

// Numbers the sandbox has; any other From is answered 21606 (not a number of the account), as
// is its voice-only number (not SMS-capable).
const PROVISIONED = ['+12065550801', '+12065550802'];
const NOT_OWNED = '+12065550899';
const VOICE_ONLY = '+14155550898';

interface MessageRow {
  status: string;
  from: string | null;
  wait_reason: string | null;
  deferred_until: string | null;
  error_code: number | null;
}

describe('campaigns that can never send', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    stack = await startCampaignStack({
      env: { CAMPAIGN_STALL_SECONDS: '3' },
      sandbox: {
        numbers: [
          ...PROVISIONED.map((phoneNumber) => ({ phoneNumber, mps: 10, latencyMs: 5 })),
          { phoneNumber: VOICE_ONLY, smsCapable: false },
        ],
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const post = (url: string, payload?: object) =>
    stack.api.app.inject({ method: 'POST', url, headers: stack.api.auth, payload });
  const get = (url: string) =>
    stack.api.app.inject({ method: 'GET', url, headers: stack.api.auth });
  const messages = async (campaignId: string): Promise<MessageRow[]> =>
    (await get(`/v1/campaigns/${campaignId}/messages`)).json().messages;
  const poolNumber = async (poolId: string, phone: string) => {
    const pool = await get(`/v1/pools/${poolId}`);
    expect(pool.statusCode).toBe(200);
    return pool.json().numbers.find((n: { phone: string }) => n.phone === phone);
  };
  const campaignOn = async (poolId: string, contacts: number, areaCode: string) => {
    const audienceId = await seedAudience(
      stack.api.database.db,
      contactPhones(contacts, areaCode).map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    return createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
      retry_policy: { max_attempts: 1, backoff_seconds: 30 },
    });
  };

  it('refuses to launch on a pool with no number that can send, or for an empty audience', async () => {
    const pool = (await post('/v1/pools', { name: 'Empty', provider: 'twilio' })).json();
    const campaignId = await campaignOn(pool.id, 3, '312');
    const refused = await post(`/v1/campaigns/${campaignId}/launch`);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'pool_cannot_send',
      details: { pool_id: pool.id, role: 'sms' },
    });
    expect(refused.json().error.message).toContain(pool.id);
    expect(refused.json().error.message).toContain('it has no numbers');

    // Its only number retired: still nothing that can send.
    const lastNumber = '+13125550801';
    expect((await post(`/v1/pools/${pool.id}/numbers`, { phone: lastNumber })).statusCode).toBe(
      201,
    );
    const retired = await stack.api.app.inject({
      method: 'DELETE',
      url: `/v1/pools/${pool.id}/numbers/${encodeURIComponent(lastNumber)}`,
      headers: stack.api.auth,
    });
    expect(retired.statusCode, retired.body).toBe(200);
    const again = await post(`/v1/campaigns/${campaignId}/launch`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('1 retired');
    expect((await getCampaign(stack.api, campaignId)).status).toBe('draft');

    const usable = await seedPool(stack.api.database.db, [{ phone: '+13125550800' }]);
    const audience = await stack.api.database.db
      .insertInto('audiences')
      .values({ name: 'nobody', columns: ['first_name'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    const lonely = await createCampaign(stack.api, {
      audience_id: audience.id,
      sms_pool_id: usable,
    });
    const empty = await post(`/v1/campaigns/${lonely}/launch`);
    expect(empty.statusCode, empty.body).toBe(409);
    expect(empty.json().error).toMatchObject({ code: 'audience_empty' });
    expect(empty.json().error.message).toContain(audience.id);
  });

  it('takes a number the carrier refuses (21606) out of the pool and sends from the others', async () => {
    const poolId = await seedPool(
      stack.api.database.db,
      [NOT_OWNED, ...PROVISIONED].map((phone) => ({ phone, mps: 10 })),
    );
    const campaignId = await campaignOn(poolId, 30, '206');
    await launch(stack.api, campaignId);
    const done = await waitForStatus(stack.api, campaignId, 'completed', 120_000);
    expect(done.funnel).toMatchObject({ targeted: 30, delivered: 30, failed: 0 });
    expect(done.stalled).toBeNull();

    const refused = await poolNumber(poolId, NOT_OWNED);
    expect(refused.state).toBe('misconfigured');
    expect(refused.recent_changes[0]).toMatchObject({
      from: 'active',
      to: 'misconfigured',
      error_code: 21606,
    });
    expect(refused.recent_changes[0].reason).toMatch(/21606.*not a valid, SMS-capable/);
    // A refused sender is the account's problem, not a delivery outcome of the number.
    expect(refused.health).toMatchObject({ samples: 0, sender_failures: 0 });
    for (const phone of PROVISIONED) expect((await poolNumber(poolId, phone)).state).toBe('active');

    const rows = await messages(campaignId);
    expect(rows.every((m) => m.status === 'delivered' && m.from !== NOT_OWNED)).toBe(true);
    expect(rows.every((m) => m.wait_reason === null && m.deferred_until === null)).toBe(true);
    const ledger = (await stack.sandbox.ledger({ channel: 'sms' })).entries;
    const mine = new Set(contactPhones(30, '206'));
    expect(ledger.filter((entry) => mine.has(entry.to))).toHaveLength(30);
  });

  it('shows why messages wait, when they are tried again, and that the campaign is stalled', async () => {
    const poolId = await seedPool(stack.api.database.db, [{ phone: VOICE_ONLY, mps: 10 }]);
    const campaignId = await campaignOn(poolId, 5, '415');
    await launch(stack.api, campaignId);

    const waiting = await waitFor('every message to wait for a number that can send', async () => {
      const rows = await messages(campaignId);
      const deferred = rows.filter(
        (m) =>
          m.wait_reason === 'number_misconfigured' &&
          m.deferred_until !== null &&
          Date.parse(m.deferred_until) > Date.now(),
      );
      return deferred.length === 5 ? rows : undefined;
    });
    expect(waiting.every((m) => m.status === 'pending' && m.error_code === 21606)).toBe(true);
    expect((await poolNumber(poolId, VOICE_ONLY)).state).toBe('misconfigured');

    const stalled = await waitFor('the campaign to say it is stalled', async () => {
      const campaign = await getCampaign(stack.api, campaignId);
      return campaign.stalled === null ? undefined : campaign;
    });
    expect(stalled.status).toBe('running');
    expect(stalled.stalled).toMatchObject({ reason: 'number_misconfigured', waiting: 5 });
    expect(Date.parse(stalled.stalled!.deferred_until!)).toBeGreaterThan(
      Date.parse(stalled.stalled!.since),
    );
    expect(stalled.funnel.failed).toBe(0);
    expect(stalled.funnel.waiting_reasons.number_misconfigured).toMatchObject({ count: 5 });
    expect(stalled.funnel.waiting_reasons.number_misconfigured?.deferred_until).not.toBeNull();

    expect((await post(`/v1/campaigns/${campaignId}/cancel`)).statusCode).toBe(202);
  });
});
