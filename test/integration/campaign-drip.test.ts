import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporalCliPath } from '../../scripts/services/temporal.ts';
import { dripScheduleId } from '../../core/campaign-contracts.ts';
import { getCampaign, launch, waitFor, waitForStatus } from '../support/campaigns.ts';
import { TestClock } from '../support/clock.ts';
import { contactPhones, countRows, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const SENDERS = ['+15035550501', '+15035550502'];
const root = path.resolve(import.meta.dirname, '..', '..');

describe('drip steps on a Temporal Schedule', () => {
  let stack: CampaignStack;
  let scheduleId: string | undefined;
  const clock = new TestClock();
  beforeAll(async () => {
    stack = await startCampaignStack({
      clock,
      sandbox: { numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 50, latencyMs: 5 })) },
    });
  });
  afterAll(async () => {
    // The Temporal server outlives this file: a schedule left by a failed run would keep
    // starting workflows for the rest of the test run.
    if (scheduleId !== undefined) {
      await stack?.api.temporal.schedule
        .getHandle(scheduleId)
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

  it('sends later steps only to the right people, once each, and pauses with the campaign', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(60, '503');
    const responders = phones.slice(0, 10);
    const stoppers = phones.slice(10, 15);
    const unreachable = phones.slice(15, 20); // 30003 every time: transient, not their fault
    const landlines = phones.slice(20, 25); // 30006: permanent, never texted again
    const quiet = phones.slice(25);
    stack.sandbox.configure({
      recipients: [
        ...unreachable.map((phoneNumber) => ({ phoneNumber, errorCode: 30003 })),
        ...landlines.map((phoneNumber) => ({ phoneNumber, errorCode: 30006 })),
      ],
    });
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const poolId = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 50 })),
    );
    const created = await stack.api.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: stack.api.auth,
      payload: {
        name: 'drip',
        audience_id: audienceId,
        sms_pool_id: poolId,
        quiet_hours: { start: '00:00', end: '24:00' },
        retry_policy: { max_attempts: 1, backoff_seconds: 1 },
        drip: { every_seconds: 2, time_zone: 'UTC' },
        steps: [
          { template: 'Hi {{first_name}}, reply to chat' },
          // The worker's clock runs an hour late until the replies below are stored, so this
          // step comes due only after them however slow the machine is.
          { template: 'Still there?', delay_seconds: 2, condition: 'no_reply' },
          { template: 'Trying once more', delay_seconds: 1, condition: 'not_delivered' },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const campaignId: string = created.json().id;
    scheduleId = dripScheduleId(campaignId);
    // Texts go out stamped with PostgreSQL's time: an hour late, the worker finds no later
    // step due until the test sets its clock right.
    clock.behind(3600_000);
    await launch(stack.api, campaignId);
    // The broadcast is done, its drip steps are still to come.
    await waitForStatus(stack.api, campaignId, 'waiting_for_drip');
    const handle = stack.api.temporal.schedule.getHandle(dripScheduleId(campaignId));
    const cli = spawnSync(
      temporalCliPath(root),
      ['schedule', 'list', '--address', stack.api.config.TEMPORAL_ADDRESS],
      { encoding: 'utf8' },
    );
    expect(cli.stdout).toContain(dripScheduleId(campaignId));
    expect(
      Date.parse((await getCampaign(stack.api, campaignId)).next_drip_run_at!),
    ).toBeGreaterThan(Date.now() - 5000);

    // Paused with the campaign, and back to waiting for its drip steps when resumed.
    const paused = await post(campaignId, 'pause');
    expect(paused.statusCode, paused.body).toBe(202);
    expect((await handle.describe()).state.paused).toBe(true);
    await waitForStatus(stack.api, campaignId, 'paused');
    expect((await getCampaign(stack.api, campaignId)).next_drip_run_at!).toBeNull();
    const resumed = await post(campaignId, 'resume');
    expect(resumed.statusCode, resumed.body).toBe(202);
    expect((await handle.describe()).state.paused).toBe(false);
    await waitForStatus(stack.api, campaignId, 'waiting_for_drip');

    const sandbox = stack.sandbox;
    const ledger = async () =>
      (await sandbox.ledger({ channel: 'sms' })).entries.filter((e) => phones.includes(e.to));
    for (const phone of [...responders, ...stoppers]) {
      const first = (await ledger()).find((entry) => entry.to === phone);
      expect(first).toBeDefined();
      sandbox.injectSms({
        from: phone,
        to: first?.from ?? '',
        body: stoppers.includes(phone) ? 'STOP' : 'sounds good, tell me more',
      });
    }
    await waitFor('replies stored', async () => {
      const n = await db
        .selectFrom('inbound_messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n.n) >= 15 ? true : undefined;
    });
    clock.real();

    const expectedStep1 = [...quiet, ...unreachable].sort();
    await waitFor(
      'step 2 sent to the non-responders',
      async () => {
        const step1 = (await ledger()).filter((entry) => entry.body === 'Still there?');
        return step1.length >= expectedStep1.length ? step1 : undefined;
      },
      60_000,
    );
    await waitFor(
      'step 3 sent to the not-delivered',
      async () => {
        const step2 = (await ledger()).filter((entry) => entry.body === 'Trying once more');
        return step2.length >= unreachable.length ? step2 : undefined;
      },
      60_000,
    );
    // Every drip text has its final status (the "not delivered" condition reads them)...
    await waitFor('every drip text to be final', async () => {
      const open = await countRows(
        db,
        sql`SELECT count(*) AS n FROM messages WHERE campaign_id = ${campaignId} AND step > 0
              AND status NOT IN ('delivered', 'undelivered', 'failed', 'skipped')`,
      );
      return open === 0 ? true : undefined;
    });
    // ...and once no step can fire for anyone, the campaign is completed and its Schedule ends.
    const done = await waitForStatus(stack.api, campaignId, 'completed', 60_000);
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(done.next_drip_run_at).toBeNull();
    const entries = await ledger();
    const step1 = entries
      .filter((entry) => entry.body === 'Still there?')
      .map((entry) => entry.to)
      .sort();
    const step2 = entries
      .filter((entry) => entry.body === 'Trying once more')
      .map((entry) => entry.to)
      .sort();
    expect(step1).toEqual(expectedStep1);
    expect(step2).toEqual([...unreachable].sort());
    for (const phone of [...responders, ...stoppers, ...landlines]) {
      expect(entries.filter((entry) => entry.to === phone)).toHaveLength(1);
    }

    // Three runs at once, started by hand: still nothing twice, nothing new.
    await Promise.all(
      [1, 2, 3].map((n) =>
        stack.api.temporal.workflow.execute('DripWorkflow', {
          workflowId: `${dripScheduleId(campaignId)}-manual-${n}`,
          taskQueue: stack.taskQueue,
          args: [{ campaignId }],
        }),
      ),
    );
    const after = await ledger();
    const pairs = after.map((entry) => `${entry.to}|${entry.body}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(after).toHaveLength(entries.length);

    const view = await getCampaign(stack.api, campaignId);
    expect(view.status).toBe('completed');
    expect(view.steps.map((s: { counts: { targeted: number } }) => s.counts.targeted)).toEqual([
      60,
      expectedStep1.length,
      unreachable.length,
    ]);
    // Nothing left to pause or cancel.
    const cancelled = await post(campaignId, 'cancel');
    expect(cancelled.statusCode, cancelled.body).toBe(409);
    expect((await getCampaign(stack.api, campaignId)).status).toBe('completed');
  });
});
