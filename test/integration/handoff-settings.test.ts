import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayPhone } from '../../core/followup-text.ts';
import { DEFAULT_BLOOIO_NUMBERS } from '../../sandbox/settings.ts';
import {
  createCampaign,
  getCampaign,
  launch,
  waitFor,
  waitForStatus,
} from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { contactIds, seedSent } from './replies-fixtures.ts';

const SMS = '+14155550081';

/**
 * Hand-off settings are the campaign's: in one process, one campaign answers a YES by SMS
 * ("text us at" the contact's Blooio line) and another writes first over iMessage with its
 * own text. The "text us" SMS gets its carrier statuses like any other message.
 */
describe('hand-off settings per campaign', () => {
  let stack: CampaignStack;
  let phones: string[];
  let ids: Map<string, string>;
  let audienceId: string;
  let smsPool: string;
  let blooioPool: string;

  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: { numbers: [{ phoneNumber: SMS, mps: 50, latencyMs: { min: 5, max: 20 } }] },
      env: { BLOOIO_RETRY_INITIAL_SECONDS: '0.2', HANDOFF_MODE: 'imessage' },
    });
    const { db } = stack.api.database;
    phones = contactPhones(6, '632');
    audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    smsPool = await seedPool(db, [{ phone: SMS, mps: 50 }]);
    blooioPool = await seedPool(
      db,
      DEFAULT_BLOOIO_NUMBERS.map((phone) => ({ phone })),
      { provider: 'blooio' },
    );
    ids = await contactIds(db, phones);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const campaign = (handoff: Record<string, string>) =>
    createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: smsPool,
      followup_pool_id: blooioPool,
      quiet_hours: { start: '00:00', end: '24:00' },
      handoff,
    });

  it('answers by SMS with the Blooio line in text_us mode, and applies that SMS statuses', async () => {
    const campaignId = await campaign({
      mode: 'text_us',
      text_us_text: 'Thanks {{first_name|friend}}! Text us at {{followup_number}}.',
    });
    expect((await getCampaign(stack.api, campaignId)).handoff).toEqual({
      mode: 'text_us',
      followup_text: stack.api.config.FOLLOWUP_TEXT,
      text_us_text: 'Thanks {{first_name|friend}}! Text us at {{followup_number}}.',
    });
    const phone = phones[0] ?? '';
    await seedSent(stack.api.database.db, {
      campaignId,
      contactId: ids.get(phone) ?? '0',
      to: phone,
      from: SMS,
    });
    await stack.sandbox.injectSms({ from: phone, to: SMS, body: 'YES' });
    const textUs = await waitFor('the text-us SMS', async () =>
      stack.sandbox
        .ledger({ channel: 'sms', to: phone })
        .entries.find((entry) => entry.body.startsWith('Thanks')),
    );
    // From the number they answered; no iMessage is written first.
    expect(textUs.from).toBe(SMS);
    expect(stack.sandbox.ledger({ channel: 'imessage', to: phone }).entries).toHaveLength(0);
    const line = await stack.api.database.db
      .selectFrom('conversations as cv')
      .innerJoin('sender_numbers as n', 'n.id', 'cv.number_id')
      .select('n.phone')
      .where('cv.contact_id', '=', ids.get(phone) ?? '0')
      .executeTakeFirstOrThrow();
    expect(textUs.body).toBe(`Thanks Sam! Text us at ${displayPhone(line.phone)}.`);
    // The carrier's callbacks reach the conversation's message: delivered, with its sid.
    const stored = await waitFor('the text-us SMS delivered', async () => {
      const row = await stack.api.database.db
        .selectFrom('conversation_messages')
        .select(['status', 'provider_sid', 'channel'])
        .where('to_phone', '=', phone)
        .executeTakeFirst();
      return row?.status === 'delivered' ? row : undefined;
    });
    expect(stored).toEqual({ status: 'delivered', provider_sid: textUs.sid, channel: 'sms' });
  });

  it("writes first over iMessage with the campaign's own follow-up text", async () => {
    const campaignId = await campaign({
      followup_text: 'Hello from the spring sale, {{first_name}}',
    });
    const phone = phones[1] ?? '';
    await seedSent(stack.api.database.db, {
      campaignId,
      contactId: ids.get(phone) ?? '0',
      to: phone,
      from: SMS,
    });
    await stack.sandbox.injectSms({ from: phone, to: SMS, body: 'YES' });
    const followup = await waitFor('the follow-up', async () =>
      stack.sandbox.ledger({ channel: 'imessage', to: phone }).entries.at(0),
    );
    expect(followup.body).toBe('Hello from the spring sale, Sam');
  });

  it("fills {{followup_number}} in an SMS step with each contact's own Blooio line, kept for the hand-off", async () => {
    const { db } = stack.api.database;
    const pair = phones.slice(2, 4);
    const audience = await seedAudience(
      db,
      pair.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const campaignId = await createCampaign(stack.api, {
      audience_id: audience,
      sms_pool_id: smsPool,
      followup_pool_id: blooioPool,
      quiet_hours: { start: '00:00', end: '24:00' },
      steps: [{ template: 'Hi {{first_name}}! Questions? Text us at {{followup_number}}' }],
    });
    await launch(stack.api, campaignId);
    await waitForStatus(stack.api, campaignId, 'completed');
    const lines = new Map<string, string>();
    for (const phone of pair) {
      const [sms] = stack.sandbox.ledger({ channel: 'sms', to: phone }).entries;
      const line = await db
        .selectFrom('conversations as cv')
        .innerJoin('sender_numbers as n', 'n.id', 'cv.number_id')
        .select('n.phone')
        .where('cv.contact_id', '=', ids.get(phone) ?? '0')
        .executeTakeFirstOrThrow();
      expect(DEFAULT_BLOOIO_NUMBERS).toContain(line.phone);
      expect(sms?.body).toBe(`Hi Sam! Questions? Text us at ${displayPhone(line.phone)}`);
      lines.set(phone, line.phone);
    }
    // The YES is handed off from the very line the text named.
    const [first = ''] = pair;
    await stack.sandbox.injectSms({ from: first, to: SMS, body: 'YES' });
    const followup = await waitFor('the follow-up', async () =>
      stack.sandbox.ledger({ channel: 'imessage', to: first }).entries.at(0),
    );
    expect(followup.from).toBe(lines.get(first));
  });

  it('refuses {{followup_number}} in a campaign without a follow-up pool', async () => {
    const response = await stack.api.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: stack.api.auth,
      payload: {
        name: 'no pool',
        audience_id: audienceId,
        sms_pool_id: smsPool,
        steps: [{ template: 'Text us at {{followup_number}}' }],
      },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      error: {
        code: 'template_variables_missing',
        message: expect.stringMatching(/followup_pool_id/),
      },
    });
  });

  it('refuses bad hand-off settings with a 400', async () => {
    for (const handoff of [
      { mode: 'fax' },
      { followup_text: 'Hi {{first_name' },
      { text_us_text: '' },
    ]) {
      const response = await stack.api.app.inject({
        method: 'POST',
        url: '/v1/campaigns',
        headers: stack.api.auth,
        payload: {
          name: 'bad',
          audience_id: audienceId,
          sms_pool_id: smsPool,
          followup_pool_id: blooioPool,
          steps: [{ template: 'Hi' }],
          handoff,
        },
      });
      expect(response.statusCode, JSON.stringify(handoff)).toBe(400);
      expect(response.json()).toHaveProperty('error.code');
    }
  });
});
