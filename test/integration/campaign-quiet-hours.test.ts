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

const SENDERS = ['+16175550301', '+16175550302'];
const hhmm = (date: Date) => date.toISOString().slice(11, 16);

describe('quiet hours', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: { numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 50, latencyMs: 5 })) },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('defers recipients outside their window and sends when it opens, with a durable timer', async () => {
    // A window opening at the next full minute of the recipients' zone (UTC here).
    let now = new Date();
    if (now.getUTCHours() === 23 && now.getUTCMinutes() >= 57) {
      await new Promise((resolve) => setTimeout(resolve, (61 - now.getUTCMinutes() + 59) * 1000));
      now = new Date();
    }
    const opensAt = new Date(Math.ceil((now.getTime() + 1000) / 60_000) * 60_000);
    const { db } = stack.api.database;
    const inZone = contactPhones(40, '617');
    const audienceId = await seedAudience(
      db,
      inZone.map((phone) => ({ phone, timeZone: 'UTC', region: 'CA' })),
    );
    const poolId = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 50 })),
    );
    const closesAt = hhmm(new Date(opensAt.getTime() + 3600_000));
    const window = { start: hhmm(opensAt), end: closesAt < hhmm(opensAt) ? '24:00' : closesAt };
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: window,
    });
    await launch(stack.api, campaignId);

    const waiting = await waitFor('the campaign to wait for the window', async () => {
      const campaign = await getCampaign(stack.api, campaignId);
      return campaign.funnel.deferred >= inZone.length ? campaign : undefined;
    });
    expect(waiting.funnel.deferred).toBeGreaterThanOrEqual(inZone.length);
    const early = (await stack.sandbox.ledger({ channel: 'sms' })).entries.filter((entry) =>
      inZone.includes(entry.to),
    );
    expect(early).toEqual([]);

    const done = await waitForStatus(stack.api, campaignId, 'completed', 150_000);
    const sent = (await stack.sandbox.ledger({ channel: 'sms' })).entries.filter((entry) =>
      inZone.includes(entry.to),
    );
    expect(sent).toHaveLength(inZone.length);
    for (const entry of sent)
      expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(opensAt.getTime());
    expect(done.funnel.delivered).toBe(inZone.length);

    // The wait was a durable timer in the workflow's history, not a polling loop of activities.
    const history = await stack.api.temporal.workflow
      .getHandle(`campaign-${campaignId}`)
      .fetchHistory();
    const events = history.events ?? [];
    const timers = events.filter((event) => event.timerStartedEventAttributes);
    const longest = Math.max(
      ...timers.map((event) =>
        Number(event.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0),
      ),
    );
    const waitedSeconds = (opensAt.getTime() - now.getTime()) / 1000;
    if (waitedSeconds > 5) expect(longest).toBeGreaterThanOrEqual(Math.floor(waitedSeconds) - 5);
    const checks = events.filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'dueWork',
    );
    expect(checks.length).toBeLessThan(10);
  });
});
