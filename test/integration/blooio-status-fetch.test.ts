import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BLOOIO_NUMBERS } from '../../sandbox/settings.ts';
import { waitFor } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { contactIds, seedCampaign, seedSent } from './replies-fixtures.ts';

const SMS = '+14155550091';

/**
 * Blooio's `message.status` webhooks are all lost here: the conversation asks Blooio for the
 * status of its follow-up once STATUS_TIMEOUT_SECONDS pass without news, and applies it.
 */
describe('Blooio statuses that never arrive', () => {
  let stack: CampaignStack;

  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: {
        numbers: [{ phoneNumber: SMS, mps: 50, latencyMs: { min: 5, max: 20 } }],
        blooio: { statusWebhookRate: 0, latencyMs: { min: 20, max: 40 } },
      },
      env: { BLOOIO_RETRY_INITIAL_SECONDS: '0.2', STATUS_TIMEOUT_SECONDS: '2' },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('fetches the follow-up status after the timeout and applies it', async () => {
    const { db } = stack.api.database;
    const [phone = ''] = contactPhones(1, '633');
    const audienceId = await seedAudience(db, [{ phone, timeZone: DAYTIME_ZONE }]);
    const smsPool = await seedPool(db, [{ phone: SMS, mps: 50 }]);
    const blooioPool = await seedPool(
      db,
      DEFAULT_BLOOIO_NUMBERS.map((number) => ({ phone: number })),
      { provider: 'blooio' },
    );
    const ids = await contactIds(db, [phone]);
    const campaignId = await seedCampaign(db, {
      audienceId,
      smsPoolId: smsPool,
      followupPoolId: blooioPool,
    });
    await seedSent(db, { campaignId, contactId: ids.get(phone) ?? '0', to: phone, from: SMS });
    await stack.sandbox.injectSms({ from: phone, to: SMS, body: 'YES' });
    const followup = await waitFor('the follow-up', async () =>
      stack.sandbox.ledger({ channel: 'imessage', to: phone }).entries.at(0),
    );
    const fetched = await waitFor(
      'the fetched status',
      async () => {
        const row = await db
          .selectFrom('conversation_messages')
          .select(['status', 'provider_sid', 'status_checks'])
          .where('to_phone', '=', phone)
          .executeTakeFirst();
        return row?.status === 'delivered' ? row : undefined;
      },
      30_000,
    );
    expect(fetched.provider_sid).toBe(followup.sid);
    expect(fetched.status_checks).toBeGreaterThanOrEqual(1);
    // No webhook brought it: the stored event is the fetched one.
    const events = await db
      .selectFrom('message_events')
      .select(['status', 'payload'])
      .where('provider', '=', 'blooio')
      .where('provider_sid', '=', followup.sid)
      .execute();
    expect(events.map((event) => event.status)).toEqual(['delivered']);
    expect(events[0]?.payload).toMatchObject({ source: 'fetch' });
  });
});
