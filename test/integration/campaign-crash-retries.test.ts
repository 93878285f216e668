import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTsProcess, type ManagedProcess } from '../../scripts/services/processes.ts';
import { countRows } from '../support/seed.ts';
import {
  createCampaign,
  getCampaign,
  launch,
  waitFor,
  waitForStatus,
} from '../support/campaigns.ts';
import { exactlyOnceReport, settledReport } from '../support/exactly-once.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { sql } from 'kysely';
import { DAYTIME_ZONE } from '../support/zones.ts';

const SENDERS = Array.from({ length: 6 }, (_, i) => `+1312555${String(800 + i).padStart(4, '0')}`);
const CONTACTS = 300;
const ENV = { CARRIER_TIMEOUT_SECONDS: '3', UNKNOWN_RESOLVE_SECONDS: '5' };

describe('a worker killed while retries are being sent', () => {
  let stack: CampaignStack;
  let worker: ManagedProcess | undefined;
  beforeAll(async () => {
    stack = await startCampaignStack({
      inProcessWorker: false,
      env: ENV,
      sandbox: {
        seed: 'crash-retries',
        numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 20, latencyMs: 5 })),
        // 503s are ambiguous (asked about, then retried); 429s are refusals (retried at once).
        faults: {
          twilio: [
            { kind: 'http_503', share: 0.2 },
            { kind: 'http_429', share: 0.05 },
          ],
        },
      },
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await stack?.close();
  });

  // A kill costs a worker start and the lease of the rows it held (tens of seconds).
  it(
    'texts everyone exactly once, strands nobody, and counts only real attempts',
    { timeout: 240_000 },
    async () => {
      const { db } = stack.api.database;
      const phones = contactPhones(CONTACTS, '312');
      const audienceId = await seedAudience(
        db,
        phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
      );
      const poolId = await seedPool(
        db,
        SENDERS.map((phone) => ({ phone, mps: 20 })),
      );
      const campaignId = await createCampaign(stack.api, {
        audience_id: audienceId,
        sms_pool_id: poolId,
        quiet_hours: { start: '00:00', end: '24:00' },
        retry_policy: { max_attempts: 10, backoff_seconds: 1 },
      });
      worker = startTsProcess('worker', 'worker/main.ts', stack.workerEnv, { quiet: true });
      await launch(stack.api, campaignId);

      await waitFor(
        'retries to be under way',
        async () => {
          const retried = await countRows(
            db,
            sql`SELECT count(*) AS n FROM messages WHERE campaign_id = ${campaignId} AND attempts >= 2`,
          );
          return retried >= 10 ? true : undefined;
        },
        90_000,
      );
      worker.child.kill('SIGKILL');
      await new Promise((resolve) => worker?.child.once('exit', resolve));
      worker = startTsProcess('worker', 'worker/main.ts', stack.workerEnv, { quiet: true });
      const done = await waitForStatus(stack.api, campaignId, 'completed', 200_000);

      const ledger = stack.sandbox.ledger({ channel: 'sms' }).entries;
      const report = await settledReport(() => exactlyOnceReport(db, campaignId, ledger));
      expect(report).toMatchObject({
        targeted: CONTACTS,
        texted: CONTACTS,
        textedTwice: 0,
        eligibleNeverTexted: 0,
        stuck: 0,
        statusesUnapplied: 0,
        unrecorded: 0,
      });
      // Attempts are requests that reached the carrier: never more than it received.
      const fired = stack.sandbox.faults().twilio.fired;
      const requests = ledger.length + (fired.http_503 ?? 0) + (fired.http_429 ?? 0);
      expect(report.attempts).toBeGreaterThanOrEqual(CONTACTS);
      expect(report.attempts).toBeLessThanOrEqual(requests);
      const unrecordedRefusals = requests - report.attempts;
      // At most the requests in flight when the worker died went unrecorded.
      expect(unrecordedRefusals).toBeLessThan(64);
      expect(done.funnel.retried).toBe(report.retried);
      expect(done.funnel.delivered).toBe(CONTACTS);
      expect((await getCampaign(stack.api, campaignId)).funnel.unknown).toBe(0);
    },
  );
});
