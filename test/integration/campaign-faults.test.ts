import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRuleInput } from '../../sandbox/config.ts';
import { createCampaign, launch, waitForStatus } from '../support/campaigns.ts';
import { exactlyOnceReport, settledReport } from '../support/exactly-once.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const SENDERS = Array.from({ length: 8 }, (_, i) => `+1212555${String(700 + i).padStart(4, '0')}`);
const CONTACTS = 800;

/**
 * A carrier that accepts a send and then loses the answer (hangs, or answers 500) must not
 * make tandem text anyone twice: such a send is `unknown` until the carrier's list of
 * messages says whether it exists.
 */
describe.each<{ name: string; fault: FaultRuleInput }>([
  {
    name: '1% of sends accepted, then never answered',
    fault: { kind: 'hang_after_accept', share: 0.01 },
  },
  {
    name: '5% of sends accepted, then answered 500',
    fault: { kind: 'http_500_after_accept', share: 0.05 },
  },
])('$name', ({ fault }) => {
  let stack: CampaignStack;
  beforeAll(async () => {
    stack = await startCampaignStack({
      env: { CARRIER_TIMEOUT_SECONDS: '3', UNKNOWN_RESOLVE_SECONDS: '5' },
      sandbox: {
        seed: 'faults',
        numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 30, latencyMs: 5 })),
        faults: { twilio: [fault] },
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it(
    'texts every eligible contact exactly once, records every text and completes',
    { timeout: 180_000 },
    async () => {
      const { db } = stack.api.database;
      const phones = contactPhones(CONTACTS, '212');
      const audienceId = await seedAudience(
        db,
        phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
      );
      const poolId = await seedPool(
        db,
        SENDERS.map((phone) => ({ phone, mps: 30 })),
      );
      const campaignId = await createCampaign(stack.api, {
        audience_id: audienceId,
        sms_pool_id: poolId,
        quiet_hours: { start: '00:00', end: '24:00' },
        retry_policy: { max_attempts: 5, backoff_seconds: 1 },
      });
      await launch(stack.api, campaignId);
      const done = await waitForStatus(stack.api, campaignId, 'completed', 160_000);

      const fired = stack.sandbox.faults().twilio.fired[fault.kind] ?? 0;
      expect(fired).toBeGreaterThan(0);
      const ledger = stack.sandbox.ledger({ channel: 'sms' }).entries;
      // Callbacks still arriving when the last row went final are applied by the API's sweep.
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
      // Attempts are requests that left tandem: one per person, plus any the carrier proved
      // it never created (a request that timed out before the carrier read it, under load).
      expect(report.attempts).toBeGreaterThanOrEqual(CONTACTS);
      expect(done.funnel).toMatchObject({
        delivered: CONTACTS,
        retried: report.retried,
        unknown: 0,
      });
      expect(stack.sandbox.mpsViolations().total).toBe(0);
    },
  );
});
