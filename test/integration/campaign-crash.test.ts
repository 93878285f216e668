import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTsProcess, type ManagedProcess } from '../../scripts/services/processes.ts';
import { createCampaign, launch, waitFor, waitForStatus } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const SENDERS = ['+17135550401', '+17135550402'];

describe('a worker killed mid-broadcast', () => {
  let stack: CampaignStack;
  let worker: ManagedProcess | undefined;
  beforeAll(async () => {
    stack = await startCampaignStack({
      inProcessWorker: false,
      sandbox: { numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 40, latencyMs: 5 })) },
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await stack?.close();
  });

  it('resumes on a new worker and texts every eligible contact exactly once', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(600, '713');
    const optedOut = new Set(phones.filter((_, i) => i % 40 === 7));
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({
        phone,
        timeZone: DAYTIME_ZONE,
        region: 'CA',
        optedOut: optedOut.has(phone),
      })),
    );
    const poolId = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 40 })),
    );
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
    });

    worker = startTsProcess('worker', 'worker/main.ts', stack.workerEnv, { quiet: true });
    await launch(stack.api, campaignId);
    const sent = async () =>
      (await stack.sandbox.ledger({ channel: 'sms' })).entries.filter((e) => phones.includes(e.to));
    await waitFor(
      'the broadcast to be under way',
      async () => ((await sent()).length >= 150 ? true : undefined),
      90_000,
    );

    worker.child.kill('SIGKILL');
    await new Promise((resolve) => worker?.child.once('exit', resolve));
    const atKill = (await sent()).length;
    expect(atKill).toBeLessThan(phones.length - optedOut.size);

    worker = startTsProcess('worker', 'worker/main.ts', stack.workerEnv, { quiet: true });
    const done = await waitForStatus(stack.api, campaignId, 'completed', 150_000);

    const entries = await sent();
    const recipients = entries.map((entry) => entry.to);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(recipients.sort()).toEqual(phones.filter((phone) => !optedOut.has(phone)).sort());
    expect(done.funnel.targeted).toBe(600);
    expect(done.funnel.skipped).toBe(optedOut.size);
    expect(done.funnel.delivered).toBe(600 - optedOut.size);
  });
});
