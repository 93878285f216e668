import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BLOOIO_NUMBERS } from '../../sandbox/settings.ts';
import {
  createCampaign,
  getCampaign,
  launch,
  waitFor,
  waitForStatus,
} from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { contactIds, seedCampaign, seedSent } from './replies-fixtures.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const SMS = '+14155550051';
const HELP = 'Thread test: reply STOP to opt out.';

interface ThreadMessage {
  direction: string;
  kind: string;
  channel: string;
  provider_sid: string | null;
  from: string | null;
  to: string;
  body: string;
  status: string | null;
  campaign_id: string | null;
  step: number | null;
  error: string | null;
  handoff_skipped: string | null;
  at: string;
}

/**
 * Every message tandem sends is in the contact's thread, through the real stack: the campaign's
 * SMS, and the answers tandem gives in TwiML, which the sandbox sends as Twilio does and whose
 * statuses come back. A reply goes to the campaign that texted that contact last.
 */
describe('conversation thread and reply attribution', () => {
  let stack: CampaignStack;
  let phones: string[];
  let ids: Map<string, string>;
  let audienceId: string;
  let smsPool: string;
  let blooioPool: string;

  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: { numbers: [{ phoneNumber: SMS, mps: 50, latencyMs: { min: 5, max: 30 } }] },
      env: { BLOOIO_RETRY_INITIAL_SECONDS: '0.2' },
    });
    const { db } = stack.api.database;
    // One or more contacts of its own for each test: they pass in any order.
    phones = contactPhones(8, '628');
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

  const id = (phone: string) => ids.get(phone) ?? '0';
  const thread = async (phone: string) => {
    const response = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/conversations/${encodeURIComponent(phone)}`,
      headers: stack.api.auth,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as {
      messages: ThreadMessage[];
      handoff_skips: { campaign_id: string | null; reason: string }[];
    };
  };
  const smsTo = (phone: string) => stack.sandbox.ledger({ channel: 'sms', to: phone }).entries;
  /** The thread once its auto-reply with this body has a final status. */
  const answered = (phone: string, body: string, status: string) =>
    waitFor(`the answer "${body}" to ${phone} to be ${status}`, async () => {
      const view = await thread(phone);
      const answer = view.messages.find((m) => m.kind === 'auto_reply' && m.body === body);
      return answer?.status === status ? { view, answer } : undefined;
    });

  it("shows the campaign's SMS in the thread, with its campaign, step and status", async () => {
    const [phone = '', other = ''] = phones;
    const { db } = stack.api.database;
    const audience = await seedAudience(db, [
      { phone, timeZone: DAYTIME_ZONE },
      { phone: other, timeZone: DAYTIME_ZONE },
    ]);
    const campaignId = await createCampaign(stack.api, {
      audience_id: audience,
      sms_pool_id: smsPool,
      steps: [{ template: 'Hi {{first_name}}, reply YES to hear more' }],
      quiet_hours: { start: '00:00', end: '24:00' },
    });
    await launch(stack.api, campaignId);
    await waitForStatus(stack.api, campaignId, 'completed');
    const sent = await waitFor('the broadcast to be delivered', async () => {
      const view = await thread(phone);
      const text = view.messages.find((m) => m.kind === 'campaign');
      return text?.status === 'delivered' ? text : undefined;
    });
    const [carrier] = smsTo(phone);
    expect(sent).toMatchObject({
      direction: 'outbound',
      channel: 'sms',
      campaign_id: campaignId,
      step: 0,
      from: SMS,
      to: phone,
      body: 'Hi Sam, reply YES to hear more',
      provider_sid: carrier?.sid,
    });

    // The contact's reply comes after it, in time order.
    stack.sandbox.injectSms({ from: phone, to: SMS, body: 'Who is this?' });
    const view = await waitFor('the reply in the thread', async () => {
      const found = await thread(phone);
      return found.messages.some((m) => m.kind === 'inbound') ? found : undefined;
    });
    expect(view.messages.map((m) => [m.kind, m.body])).toEqual([
      ['campaign', 'Hi Sam, reply YES to hear more'],
      ['inbound', 'Who is this?'],
    ]);
  });

  it('sends HELP answers and opt-out and opt-in confirmations, and shows them delivered in the thread', async () => {
    const phone = phones[2] ?? '';
    const { db } = stack.api.database;
    const campaignId = await seedCampaign(db, { audienceId, smsPoolId: smsPool, helpText: HELP });
    await seedSent(db, { campaignId, contactId: id(phone), to: phone, from: SMS });

    stack.sandbox.injectSms({ from: phone, to: SMS, body: 'HELP' });
    const help = await answered(phone, HELP, 'delivered');
    // The carrier sent it: from the number the contact wrote to, back to them.
    const sentHelp = smsTo(phone).find((entry) => entry.body === HELP);
    expect(sentHelp).toMatchObject({ from: SMS, to: phone });
    expect(help.answer).toMatchObject({
      direction: 'outbound',
      channel: 'sms',
      from: SMS,
      to: phone,
      campaign_id: campaignId,
      provider_sid: sentHelp?.sid,
    });

    const confirmation = stack.api.config.OPT_OUT_CONFIRMATION;
    stack.sandbox.injectSms({ from: phone, to: SMS, body: 'Please stop texting me' });
    const stop = await answered(phone, confirmation, 'delivered');
    const sentConfirmation = smsTo(phone).find((entry) => entry.body === confirmation);
    expect(sentConfirmation).toMatchObject({ from: SMS, to: phone });
    expect(stop.answer.provider_sid).toBe(sentConfirmation?.sid);

    // Back in, in words the carrier does not confirm itself: tandem does.
    const welcome = stack.api.config.OPT_IN_CONFIRMATION;
    stack.sandbox.injectSms({ from: phone, to: SMS, body: 'start please' });
    const start = await answered(phone, welcome, 'delivered');
    expect(smsTo(phone).find((entry) => entry.body === welcome)?.sid).toBe(
      start.answer.provider_sid,
    );
    expect(start.view.messages.map((m) => [m.kind, m.body])).toEqual([
      ['campaign', 'Hi, reply YES'],
      ['inbound', 'HELP'],
      ['auto_reply', HELP],
      ['inbound', 'Please stop texting me'],
      ['auto_reply', confirmation],
      ['inbound', 'start please'],
      ['auto_reply', welcome],
    ]);
  });

  it('shows an answer the carrier refused as failed, with its error', async () => {
    const phone = phones[3] ?? '';
    const { db } = stack.api.database;
    const campaignId = await seedCampaign(db, { audienceId, smsPoolId: smsPool, helpText: HELP });
    await seedSent(db, { campaignId, contactId: id(phone), to: phone, from: SMS });
    // Twilio's own STOP: the carrier blocks the number for this person, so an answer fails.
    // In this order: the carrier must have taken the STOP before the HELP is answered.
    await stack.sandbox.injectSms({ from: phone, to: SMS, body: 'STOP' });
    await stack.sandbox.injectSms({ from: phone, to: SMS, body: 'HELP' });
    const refused = await answered(phone, HELP, 'failed');
    expect(refused.answer.error).toBe('21610');
    expect(smsTo(phone).filter((entry) => entry.body === HELP)).toHaveLength(0);
  });

  it('hands a YES to the campaign that texted the contact last, though its row is older', async () => {
    const phone = phones[4] ?? '';
    const { db } = stack.api.database;
    // Both campaigns texted this person from the same number. The one with a follow-up pool
    // planned its text first (deferred, retried...) but sent it last.
    const withPool = await seedCampaign(db, {
      audienceId,
      smsPoolId: smsPool,
      followupPoolId: blooioPool,
    });
    const withoutPool = await seedCampaign(db, { audienceId, smsPoolId: smsPool });
    const now = Date.now();
    await seedSent(db, {
      campaignId: withPool,
      contactId: id(phone),
      to: phone,
      from: SMS,
      sentAt: new Date(now),
    });
    await seedSent(db, {
      campaignId: withoutPool,
      contactId: id(phone),
      to: phone,
      from: SMS,
      sentAt: new Date(now - 60_000),
    });
    stack.sandbox.injectSms({ from: phone, to: SMS, body: 'YES' });
    const followup = await waitFor('the follow-up iMessage', async () => {
      const [entry] = stack.sandbox.ledger({ channel: 'imessage', to: phone }).entries;
      return entry;
    });
    expect(DEFAULT_BLOOIO_NUMBERS).toContain(followup.from);
    // The carrier took the follow-up; the hand-off is recorded once its answer is stored.
    await waitFor('the hand-off to be recorded', async () => {
      const handoff = await db
        .selectFrom('conversation_handoffs')
        .select('status')
        .where('campaign_id', '=', withPool)
        .executeTakeFirst();
      return handoff?.status === 'sent' ? true : undefined;
    });
    const reply = await db
      .selectFrom('inbound_messages')
      .select(['campaign_id', 'classification', 'handoff_skipped'])
      .where('from_phone', '=', phone)
      .executeTakeFirstOrThrow();
    expect(reply).toEqual({
      campaign_id: withPool,
      classification: 'interested',
      handoff_skipped: null,
    });
  });

  it('records why a YES is not handed off when the last campaign has no follow-up pool', async () => {
    const phone = phones[5] ?? '';
    const { db } = stack.api.database;
    const withPool = await seedCampaign(db, {
      audienceId,
      smsPoolId: smsPool,
      followupPoolId: blooioPool,
    });
    const withoutPool = await seedCampaign(db, { audienceId, smsPoolId: smsPool });
    const now = Date.now();
    await seedSent(db, {
      campaignId: withPool,
      contactId: id(phone),
      to: phone,
      from: SMS,
      sentAt: new Date(now - 60_000),
    });
    await seedSent(db, {
      campaignId: withoutPool,
      contactId: id(phone),
      to: phone,
      from: SMS,
      sentAt: new Date(now),
    });
    stack.sandbox.injectSms({ from: phone, to: SMS, body: 'YES' });
    const view = await waitFor('the YES in the thread', async () => {
      const found = await thread(phone);
      return found.messages.some((m) => m.kind === 'inbound') ? found : undefined;
    });
    expect(view.messages.find((m) => m.kind === 'inbound')).toMatchObject({
      body: 'YES',
      campaign_id: withoutPool,
      handoff_skipped: 'no_followup_pool',
    });
    expect(view.handoff_skips).toEqual([
      expect.objectContaining({ campaign_id: withoutPool, reason: 'no_followup_pool' }),
    ]);
    const campaign = await getCampaign(stack.api, withoutPool);
    expect(campaign.funnel).toMatchObject({
      interested: 1,
      handed_off: 0,
      not_handed_off: { no_followup_pool: 1 },
    });
    expect(stack.sandbox.ledger({ channel: 'imessage', to: phone }).entries).toHaveLength(0);
  });
});
