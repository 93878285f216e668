import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/services/temporal.ts';
import { createCampaign, launch, waitForStatus } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const SENDERS = ['+19175550601', '+19175550602'];

describe('statuses that never arrive', () => {
  let stack: CampaignStack;
  beforeAll(async () => {
    // Callbacks go to an address where nothing listens: every status is lost on the way.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    stack = await startCampaignStack({
      env: { PUBLIC_BASE_URL: nowhere, STATUS_TIMEOUT_SECONDS: '3' },
      sandbox: {
        numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 50, latencyMs: 5 })),
        callbacks: { retries: 0 },
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('are fetched from Twilio after the timeout, and the campaign completes', async () => {
    const { db } = stack.api.database;
    const phones = contactPhones(30, '917');
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const poolId = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 50 })),
    );
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: { start: '00:00', end: '24:00' },
    });
    await launch(stack.api, campaignId);
    const done = await waitForStatus(stack.api, campaignId, 'completed', 60_000);
    expect(done.funnel.delivered).toBe(30);
    const fetched = await db
      .selectFrom('message_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(sql<boolean>`payload @> '{"source":"fetch"}'::jsonb`)
      .executeTakeFirstOrThrow();
    expect(Number(fetched.n)).toBeGreaterThanOrEqual(30);
  });
});
