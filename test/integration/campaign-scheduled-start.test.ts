import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignWorkflowId } from '../../core/campaign-contracts.ts';
import { progressQuery } from '../../workflows/campaign.ts';
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

/** Each case's pool: a number of its contacts' area code (a number belongs to one pool). */
const SENDERS = ['312', '313', '314'].map((areaCode) => `+1${areaCode}5550301`);

/**
 * A campaign with a `start_at` launches at once and waits for it on a durable timer: it is
 * `scheduled` until then, sends only once the time has come, and a cancel (or a pause) before
 * then keeps anything from going out.
 */
describe('a scheduled start', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: { numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 20, latencyMs: 5 })) },
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

  const scheduledCampaign = async (areaCode: string, secondsAhead: number) => {
    const { db } = stack.api.database;
    const phones = contactPhones(5, areaCode);
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const poolId = await seedPool(db, [{ phone: `+1${areaCode}5550301`, mps: 20 }]);
    const startAt = new Date(Date.now() + secondsAhead * 1000);
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
      start_at: startAt.toISOString(),
    });
    return { campaignId, phones, startAt };
  };
  const texted = (phones: readonly string[]) =>
    stack.sandbox.ledger({ channel: 'sms' }).entries.filter((entry) => phones.includes(entry.to));
  const workflowClosed = (campaignId: string) =>
    waitFor('the campaign workflow to end', async () => {
      const description = await stack.api.temporal.workflow
        .getHandle(campaignWorkflowId(campaignId))
        .describe();
      return description.status.name === 'RUNNING' ? undefined : description;
    });
  const rowCount = async (campaignId: string) =>
    (
      await sql<{ n: number }>`SELECT count(*)::int AS n FROM messages
        WHERE campaign_id = ${campaignId}`.execute(stack.api.database.db)
    ).rows[0]?.n;
  const rowsByStatus = async (campaignId: string) =>
    (
      await sql<{ status: string; n: number; with_sid: number }>`
        SELECT status, count(*)::int AS n, count(provider_sid)::int AS with_sid FROM messages
         WHERE campaign_id = ${campaignId} GROUP BY status`.execute(stack.api.database.db)
    ).rows;

  it('is scheduled until start_at, then sends to everyone', async () => {
    const { campaignId, phones, startAt } = await scheduledCampaign('312', 4);
    const launched = await launch(stack.api, campaignId);
    expect(launched.already_launched).toBe(false);
    const scheduled = await getCampaign(stack.api, campaignId);
    expect(scheduled).toMatchObject({ status: 'scheduled', start_at: startAt.toISOString() });
    const progress = await stack.api.temporal.workflow
      .getHandle(campaignWorkflowId(campaignId))
      .query(progressQuery);
    expect(progress).toMatchObject({ status: 'scheduled', nextWakeAt: startAt.toISOString() });

    await waitForStatus(stack.api, campaignId, 'completed', 60_000);
    const ledger = texted(phones);
    expect(new Set(ledger.map((entry) => entry.to))).toEqual(new Set(phones));
    for (const entry of ledger)
      expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(startAt.getTime());
  });

  it('sends nothing when cancelled before start_at', async () => {
    const { campaignId, phones, startAt } = await scheduledCampaign('313', 5);
    await launch(stack.api, campaignId);
    await waitForStatus(stack.api, campaignId, 'scheduled', 10_000);
    const cancel = await post(campaignId, 'cancel');
    expect(cancel.statusCode, cancel.body).toBe(202);
    const closed = await workflowClosed(campaignId);
    // The workflow ended before its timer fired; every contact is a `cancelled` row, never sent.
    expect(closed.closeTime?.getTime()).toBeLessThan(startAt.getTime());
    const campaign = await getCampaign(stack.api, campaignId);
    expect(campaign.status).toBe('cancelled');
    expect(campaign.funnel).toMatchObject({ targeted: phones.length, cancelled: phones.length });
    expect(await rowsByStatus(campaignId)).toEqual([
      { status: 'cancelled', n: phones.length, with_sid: 0 },
    ]);
    expect(texted(phones)).toEqual([]);
  });

  it('holds a campaign paused while scheduled past its start_at, and starts it on resume', async () => {
    const { campaignId, phones, startAt } = await scheduledCampaign('314', 3);
    await launch(stack.api, campaignId);
    await waitForStatus(stack.api, campaignId, 'scheduled', 10_000);
    expect((await post(campaignId, 'pause')).statusCode).toBe(202);
    const handle = stack.api.temporal.workflow.getHandle(campaignWorkflowId(campaignId));
    // The timer fires while paused: the workflow moves on to its (paused) broadcast, no further.
    await waitFor(
      'start_at to pass with the campaign paused',
      async () => {
        const progress = await handle.query(progressQuery);
        return Date.now() > startAt.getTime() + 500 &&
          progress.status === 'paused' &&
          progress.nextWakeAt === null
          ? progress
          : undefined;
      },
      20_000,
    );
    expect(await rowCount(campaignId)).toBe(0);
    expect(texted(phones)).toEqual([]);

    expect((await post(campaignId, 'resume')).statusCode).toBe(202);
    await waitForStatus(stack.api, campaignId, 'completed', 60_000);
    expect(new Set(texted(phones).map((entry) => entry.to))).toEqual(new Set(phones));
  });

  it('refuses a start_at in the past', async () => {
    const { db } = stack.api.database;
    const audienceId = await seedAudience(db, [{ phone: contactPhones(1, '315')[0] ?? '' }]);
    const poolId = await seedPool(db, [{ phone: '+13155550399' }]);
    const response = await stack.api.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: stack.api.auth,
      payload: {
        name: 'late',
        audience_id: audienceId,
        sms_pool_id: poolId,
        steps: [{ template: 'Hi' }],
        start_at: new Date(Date.now() - 60_000).toISOString(),
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/start_at must be in the future/);
  });
});
