import { ScheduleNotFoundError } from '@temporalio/client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  campaignWorkflowId,
  dripScheduleId,
  type CampaignProgress,
} from '../../core/campaign-contracts.ts';
import { CAMPAIGN_STATUSES } from '../../core/campaign-status.ts';
import { progressQuery } from '../../workflows/campaign.ts';
import { launch, waitFor, waitForStatus } from '../support/campaigns.ts';
import { TestClock } from '../support/clock.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE, zoneAtLocalHour } from '../support/zones.ts';

const SENDERS = ['+17205550601', '+17205550602'];

describe('campaign states are true', () => {
  let stack: CampaignStack;
  const clock = new TestClock();
  const schedules: string[] = [];
  beforeAll(async () => {
    stack = await startCampaignStack({
      clock,
      sandbox: { numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 50, latencyMs: 5 })) },
    });
  });
  afterAll(async () => {
    // The Temporal server outlives this file: never leave a schedule starting workflows.
    for (const id of schedules) {
      await stack?.api.temporal.schedule
        .getHandle(id)
        .delete()
        .catch((error: unknown) => {
          if (!(error instanceof ScheduleNotFoundError)) throw error;
        });
    }
    await stack?.close();
  });

  const post = (campaignId: string, action: string) =>
    stack.api.app.inject({
      method: 'POST',
      url: `/v1/campaigns/${campaignId}/${action}`,
      headers: stack.api.auth,
    });
  const create = async (payload: Record<string, unknown>): Promise<string> => {
    const created = await stack.api.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: stack.api.auth,
      payload: {
        name: 'states',
        retry_policy: { max_attempts: 1, backoff_seconds: 1 },
        ...payload,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    return created.json().id;
  };
  const searchAttributes = async (workflowId: string, runId?: string) =>
    (await stack.api.temporal.workflow.getHandle(workflowId, runId).describe()).searchAttributes;

  it('waits for its drip steps, then completes on its own, ends its Schedule and refuses a pause', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(8, '720');
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const poolId = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 50 })),
    );
    const campaignId = await create({
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
      drip: { every_seconds: 1, time_zone: 'UTC' },
      steps: [
        { template: 'Hello there' },
        { template: 'A second word', delay_seconds: 2, condition: 'all' },
      ],
    });
    schedules.push(dripScheduleId(campaignId));
    // An hour behind: the drip step cannot come due until the clock is set right.
    clock.behind(3600_000);
    await launch(stack.api, campaignId);
    const waiting = await waitForStatus(stack.api, campaignId, 'waiting_for_drip');
    expect(waiting.funnel.targeted).toBe(phones.length);
    const workflow = stack.api.temporal.workflow.getHandle(campaignWorkflowId(campaignId));
    // The workflow (and the Temporal UI) say so too, and the Schedule still runs.
    await waitFor('the workflow to publish waiting_for_drip', async () =>
      (await searchAttributes(campaignWorkflowId(campaignId))).CampaignStatus?.[0] ===
      'waiting_for_drip'
        ? true
        : undefined,
    );
    expect((await workflow.describe()).status.name).toBe('RUNNING');
    const schedule = stack.api.temporal.schedule.getHandle(dripScheduleId(campaignId));
    expect((await schedule.describe()).state.paused).toBe(false);

    // Drip runs carry the campaign's id.
    const run = await waitFor('a drip run', async () => {
      const { info } = await schedule.describe();
      return info.recentActions[0]?.action.workflow;
    });
    await waitFor('the drip run to carry CampaignId', async () =>
      (await searchAttributes(run.workflowId, run.firstExecutionRunId)).CampaignId?.[0] ===
      campaignId
        ? true
        : undefined,
    );

    clock.real();
    const done = await waitForStatus(stack.api, campaignId, 'completed', 60_000);
    const ledger = (await stack.sandbox.ledger({ channel: 'sms' })).entries.filter((entry) =>
      phones.includes(entry.to),
    );
    expect(ledger.filter((entry) => entry.body === 'A second word')).toHaveLength(phones.length);
    expect(done.steps[1]!.counts.targeted).toBe(phones.length);
    expect(done.next_drip_run_at).toBeNull();
    await expect(schedule.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    await workflow.result();
    expect((await searchAttributes(campaignWorkflowId(campaignId))).CampaignStatus).toEqual([
      'completed',
    ]);

    // Nothing can fire any more: a pause (or a resume, or a cancel) is refused, the status stays.
    for (const action of ['pause', 'resume', 'cancel']) {
      const refused = await post(campaignId, action);
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().error.code).toBe('campaign_finished');
    }
    const after = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/campaigns/${campaignId}`,
      headers: stack.api.auth,
    });
    expect(after.json().status).toBe('completed');
  });

  it('publishes the API status to Temporal, and ends every unsent row as cancelled, counted', async () => {
    clock.real();
    const { db } = stack.api.database;
    const phones = contactPhones(30, '303');
    // Night where they live: every one of them is deferred to the morning.
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: zoneAtLocalHour(3) /* outside every window */ })),
    );
    const poolId = await seedPool(db, [{ phone: '+13035550601', mps: 50 }]);
    const campaignId = await create({
      audience_id: audienceId,
      sms_pool_id: poolId,
      steps: [{ template: 'Good morning' }],
    });
    await launch(stack.api, campaignId);
    const workflow = stack.api.temporal.workflow.getHandle(campaignWorkflowId(campaignId));
    await waitFor('the campaign to wait for the morning', async () => {
      const progress: CampaignProgress = await workflow.query(progressQuery);
      return progress.status === 'waiting' && progress.nextWakeAt !== null ? true : undefined;
    });
    const view = await waitForStatus(stack.api, campaignId, 'running');
    expect(view.funnel.deferred).toBe(phones.length);
    const published = (await searchAttributes(campaignWorkflowId(campaignId))).CampaignStatus;
    expect(published).toEqual(['running']);
    expect(CAMPAIGN_STATUSES).toContain(published?.[0]);

    expect((await post(campaignId, 'cancel')).statusCode).toBe(202);
    const cancelled = await waitFor('every deferred row to be cancelled', async () => {
      const campaign = await waitForStatus(stack.api, campaignId, 'cancelled');
      return campaign.funnel.cancelled === phones.length ? campaign : undefined;
    });
    expect(cancelled.funnel.deferred).toBe(0);
    expect(cancelled.funnel.targeted).toBe(phones.length);
    const open = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM messages
       WHERE campaign_id = ${campaignId} AND status <> 'cancelled'`.execute(db);
    expect(open.rows[0]?.n).toBe(0);
    await workflow.result();
    expect((await searchAttributes(campaignWorkflowId(campaignId))).CampaignStatus).toEqual([
      'cancelled',
    ]);
    const refused = await post(campaignId, 'pause');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('campaign_finished');
  });
});
