import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTsProcess, type ManagedProcess } from '../../scripts/services/processes.ts';
import { createCampaign, launch, waitFor, waitForStatus } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const SENDERS = [
  '+13055550801',
  '+13055550802',
  '+13055550803',
  '+16025550804',
  '+16025550805',
  '+16025550806',
];

describe('two worker processes sending from one pool', () => {
  let stack: CampaignStack;
  const workers: ManagedProcess[] = [];
  beforeAll(async () => {
    stack = await startCampaignStack({
      inProcessWorker: false,
      sandbox: { numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 20, latencyMs: 5 })) },
    });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await stack?.close();
  });

  it('share the batches and together never exceed any number’s MPS at the carrier', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(1200, '602');
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE, region: 'AZ' })),
    );
    const poolId = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 20 })),
    );
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
    });
    workers.push(
      startTsProcess('worker-a', 'worker/main.ts', stack.workerEnv, { quiet: true }),
      startTsProcess('worker-b', 'worker/main.ts', stack.workerEnv, { quiet: true }),
    );
    // Both must be polling before the launch, or the first one up takes every batch.
    const ACTIVITY_QUEUE = 2; // temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY
    await waitFor(
      'both workers polling',
      async () => {
        const queue = await stack.api.temporal.workflowService.describeTaskQueue({
          namespace: stack.api.config.TEMPORAL_NAMESPACE,
          taskQueue: { name: stack.taskQueue },
          taskQueueType: ACTIVITY_QUEUE,
        });
        return (queue.pollers?.length ?? 0) >= 2 ? true : undefined;
      },
      60_000,
    );
    await launch(stack.api, campaignId);
    const done = await waitForStatus(stack.api, campaignId, 'completed', 150_000);
    expect(done.funnel.delivered).toBe(1200);

    const ledger = (await stack.sandbox.ledger({ channel: 'sms' })).entries;
    expect(new Set(ledger.map((entry) => entry.to)).size).toBe(1200);
    const mps = await stack.sandbox.mpsViolations();
    expect(mps.total).toBe(0);
    for (const phone of SENDERS) expect(mps.byNumber[phone]?.peak ?? 0).toBeLessThanOrEqual(20);

    // Both processes ran sendBatch activities (their identities are pid@host).
    const history = await stack.api.temporal.workflow
      .getHandle(`campaign-${campaignId}`)
      .fetchHistory();
    const identities = new Set(
      (history.events ?? []).flatMap((event) => {
        const identity = event.activityTaskStartedEventAttributes?.identity;
        return identity ? [identity] : [];
      }),
    );
    expect(identities.size).toBe(2);
  });
});
