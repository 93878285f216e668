import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { createCampaign, launch, waitFor, waitForStatus } from '../support/campaigns.ts';

const senders = ['+14155550001', '+14155550002', '+14155550003', '+14155550004'];

describe('a broadcast through the real stack', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: { numbers: senders.map((phoneNumber) => ({ phoneNumber, mps: 50, latencyMs: { min: 5, max: 30 } })) },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('texts every contact exactly once and records their delivery', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(300);
    const audienceId = await seedAudience(db, phones.map((phone, i) => ({ phone, optedOut: i % 50 === 0, timeZone: 'UTC' })));
    const poolId = await seedPool(db, senders.map((phone) => ({ phone, mps: 50 })));
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
    });
    const launched = await launch(stack.api, campaignId);
    expect(launched.workflow_id).toBe(`campaign-${campaignId}`);
    expect(launched.temporal_ui_url).toContain(encodeURIComponent(launched.workflow_id));
    const again = await launch(stack.api, campaignId);
    expect(again.already_launched).toBe(true);

    const done = await waitForStatus(stack.api, campaignId, 'completed');
    const optedOut = phones.filter((_, i) => i % 50 === 0);
    expect(done.funnel.targeted).toBe(300);
    expect(done.funnel.skipped).toBe(optedOut.length);
    expect(done.funnel.skipped_reasons).toEqual({ opted_out: optedOut.length });
    expect(done.funnel.delivered).toBe(300 - optedOut.length);

    const ledger = await stack.sandbox.ledger({ channel: 'sms' });
    const recipients = ledger.entries.map((entry) => entry.to);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(recipients.sort()).toEqual(phones.filter((_, i) => i % 50 !== 0).sort());
    for (const phone of optedOut) expect(recipients).not.toContain(phone);
    expect(ledger.entries.every((entry) => senders.includes(entry.from))).toBe(true);
    expect(ledger.entries[0]?.body).toBe('Hi Sam, reply YES to learn more');
    expect((await stack.sandbox.mpsViolations()).total).toBe(0);

    const handle = stack.api.temporal.workflow.getHandle(launched.workflow_id);
    const listed = await waitFor('the workflow in visibility', async () => {
      for await (const execution of stack.api.temporal.workflow.list({ query: `CampaignId = '${campaignId}'` })) {
        if (execution.searchAttributes.CampaignStatus?.[0] === 'completed') return execution;
      }
      return undefined;
    });
    expect(listed.workflowId).toBe(handle.workflowId);
  });
});
