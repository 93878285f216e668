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
import { formatClock } from '../../core/quiet-hours.ts';
import { localParts } from '../../core/quiet-hours-time.ts';
import { TestClock } from '../support/clock.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { zoneAtLocalHour } from '../support/zones.ts';

const SENDERS = ['+16175550301', '+16175550302'];
/** How long before the window opens the worker's clock stands when the campaign starts. */
const LEAD_SECONDS = 8;
const hhmm = (date: Date, zone: string) =>
  formatClock(localParts(date.getTime(), zone).minuteOfDay);

describe('quiet hours', () => {
  let stack: CampaignStack;
  const clock = new TestClock();
  beforeAll(async () => {
    stack = await startCampaignStack({
      clock,
      sandbox: { numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 50, latencyMs: 5 })) },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('defers recipients outside their window and sends when it opens, with a durable timer', async () => {
    // A window opening at a whole minute of the recipients' zone: the last one passed, so the
    // worker's clock, put just before it, stays behind real time. The zone puts that minute in
    // the early afternoon, inside the legal floor (08:00–21:00), so the window is not clamped.
    const opens = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const zone = zoneAtLocalHour(14, opens);
    clock.freeze(new Date(opens.getTime() - LEAD_SECONDS * 1000));
    const { db } = stack.api.database;
    const inZone = contactPhones(40, '617');
    const audienceId = await seedAudience(
      db,
      inZone.map((phone) => ({ phone, timeZone: zone, region: 'CA' })),
    );
    const poolId = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 50 })),
    );
    const window = {
      start: hhmm(opens, zone),
      end: hhmm(new Date(opens.getTime() + 3600_000), zone),
    };
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: window,
    });
    await launch(stack.api, campaignId);

    // Everyone deferred, and the workflow asleep on its timer until the window opens: with the
    // clock standing still, nothing can have been sent, nor can anything be sent before it moves.
    const workflow = stack.api.temporal.workflow.getHandle(campaignWorkflowId(campaignId));
    const waiting = await waitFor('the campaign to wait for the window', async () => {
      const campaign = await getCampaign(stack.api, campaignId);
      if (campaign.funnel.deferred < inZone.length) return undefined;
      const progress = await workflow.query(progressQuery);
      return progress.status === 'waiting' && progress.nextWakeAt !== null ? progress : undefined;
    });
    const early = (await stack.sandbox.ledger({ channel: 'sms' })).entries.filter((entry) =>
      inZone.includes(entry.to),
    );
    expect(early).toEqual([]);

    // The clock moves on and shows the opening exactly when the workflow's timer is due.
    const wakesAt = new Date(waiting.nextWakeAt ?? '');
    clock.runFrom(opens, wakesAt);

    const done = await waitForStatus(stack.api, campaignId, 'completed', 60_000);
    const sent = (await stack.sandbox.ledger({ channel: 'sms' })).entries.filter((entry) =>
      inZone.includes(entry.to),
    );
    expect(sent).toHaveLength(inZone.length);
    for (const entry of sent)
      expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(wakesAt.getTime());
    expect(done.funnel.delivered).toBe(inZone.length);

    // The wait was a durable timer in the workflow's history, not a polling loop of activities.
    const history = await workflow.fetchHistory();
    const events = history.events ?? [];
    const timers = events.filter((event) => event.timerStartedEventAttributes);
    const longest = Math.max(
      ...timers.map((event) =>
        Number(event.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0),
      ),
    );
    expect(longest).toBe(LEAD_SECONDS);
    const checks = events.filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'dueWork',
    );
    expect(checks.length).toBeLessThan(10);
  });
});
