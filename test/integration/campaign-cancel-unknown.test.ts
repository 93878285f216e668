import { sql } from 'kysely';
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
import { DAYTIME_ZONE } from '../support/zones.ts';

const SENDERS = ['+12125550801', '+12125550802'];
const CONTACTS = 40;

/**
 * A cancel while sends' answers are lost: every such send is asked about before the campaign
 * ends. One the carrier has takes its sid (it was texted); one it never had is cancelled. No
 * row is left `unknown` (or `sending`) forever, and nobody is texted twice.
 */
describe('cancelling a campaign whose sends lost their answers', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    stack = await startCampaignStack({
      env: { CARRIER_TIMEOUT_SECONDS: '2', UNKNOWN_RESOLVE_SECONDS: '2' },
      sandbox: {
        seed: 'cancel-unknown',
        numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 2, latencyMs: 5 })),
        faults: { twilio: [{ kind: 'hang_after_accept', share: 1 }] },
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('resolves every lost answer with the carrier, then cancels only what was never sent', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(CONTACTS, '212');
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const poolId = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 2 })),
    );
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
      retry_policy: { max_attempts: 3, backoff_seconds: 1 },
    });
    await launch(stack.api, campaignId);
    await waitFor('sends whose answer was lost', async () => {
      const { funnel } = await getCampaign(stack.api, campaignId);
      return funnel.unknown >= 2 ? true : undefined;
    });

    const cancel = await stack.api.app.inject({
      method: 'POST',
      url: `/v1/campaigns/${campaignId}/cancel`,
      headers: stack.api.auth,
    });
    expect(cancel.statusCode, cancel.body).toBe(202);
    await waitForStatus(stack.api, campaignId, 'cancelled', 90_000);
    // The API shows `cancelled` at once; the workflow then winds the campaign up.
    const rows = await waitFor(
      'every row of the cancelled campaign to be settled',
      async () => {
        const result = await sql<{ status: string; n: number; with_sid: number }>`
          SELECT status, count(*)::int AS n, count(provider_sid)::int AS with_sid FROM messages
           WHERE campaign_id = ${campaignId} GROUP BY status`.execute(db);
        const open = result.rows.filter((row) =>
          ['unknown', 'sending', 'pending'].includes(row.status),
        );
        return open.length === 0 ? result : undefined;
      },
      90_000,
    );
    const byStatus = Object.fromEntries(rows.rows.map((row) => [row.status, row]));
    expect(rows.rows.reduce((sum, row) => sum + row.n, 0)).toBe(CONTACTS);

    // Every text the carrier created is a row with its sid; the rest were never sent.
    const ledger = stack.sandbox.ledger({ channel: 'sms' }).entries;
    const texted = new Set(ledger.map((entry) => entry.to));
    expect(texted.size, 'nobody texted twice').toBe(ledger.length);
    expect(ledger.length).toBeGreaterThan(0);
    const withSid = rows.rows.reduce((sum, row) => sum + row.with_sid, 0);
    expect(withSid).toBe(ledger.length);
    expect(byStatus.cancelled?.n ?? 0).toBe(CONTACTS - ledger.length);
    const { funnel } = await getCampaign(stack.api, campaignId);
    expect(funnel).toMatchObject({ unknown: 0, cancelled: CONTACTS - ledger.length });
  }, 150_000);
});
