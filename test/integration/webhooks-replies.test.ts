import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { contactPhones, countRows, seedAudience, seedPool } from '../support/seed.ts';
import {
  blooioWebhook,
  contactIds,
  nextSid,
  seedCampaign,
  seedFollowUp,
  seedSent,
  twilioInbound,
} from './replies-fixtures.ts';

const SMS_A = '+14155550011';
const SMS_B = '+14155550012';
const SMS_C = '+14155550013';
const BLOOIO = ['+14155550101', '+14155550102'];

describe('inbound webhooks', () => {
  let api: TestApi;
  let phones: string[];
  let ids: Map<string, string>;
  let audienceId: string;
  let first: string;
  let second: string;
  const id = (phone: string | undefined) => ids.get(phone ?? '') ?? '0';

  beforeAll(async () => {
    api = await startTestApi();
    const { db } = api.database;
    // One or more of its own for each test: they pass in any order.
    phones = contactPhones(16, '628');
    audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone })),
    );
    const smsPool = await seedPool(db, [{ phone: SMS_A }, { phone: SMS_B }]);
    const blooioPool = await seedPool(
      db,
      BLOOIO.map((phone) => ({ phone })),
      { provider: 'blooio' },
    );
    first = await seedCampaign(db, {
      audienceId,
      smsPoolId: smsPool,
      helpText: 'First campaign help',
    });
    second = await seedCampaign(db, {
      audienceId,
      smsPoolId: smsPool,
      followupPoolId: blooioPool,
      helpText: 'Second help',
    });
    ids = await contactIds(db, phones);
    for (const phone of phones) {
      await seedSent(db, { campaignId: first, contactId: id(phone), to: phone, from: SMS_A });
      await seedSent(db, { campaignId: second, contactId: id(phone), to: phone, from: SMS_B });
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  const inboundCount = () =>
    countRows(api.database.db, sql`SELECT count(*) AS n FROM inbound_messages`);

  it('refuses forged and unsigned Twilio webhooks with 403 and stores nothing', async () => {
    const before = await inboundCount();
    for (const forge of ['unsigned', 'wrong'] as const) {
      const response = await twilioInbound(
        api,
        { from: phones[0] ?? '', to: SMS_A, body: 'STOP' },
        { forge },
      );
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('invalid_signature');
    }
    expect(await inboundCount()).toBe(before);
    const contact = await api.database.db
      .selectFrom('contacts')
      .select('opted_out_at')
      .where('phone', '=', phones[0] ?? '')
      .executeTakeFirstOrThrow();
    expect(contact.opted_out_at).toBeNull();
  });

  it('answers HELP with the help text of the campaign that texted from that number', async () => {
    const viaA = await twilioInbound(api, { from: phones[1] ?? '', to: SMS_A, body: 'help' });
    expect(viaA.statusCode).toBe(200);
    expect(viaA.headers['content-type']).toMatch(/^text\/xml/);
    expect(viaA.body).toContain('>First campaign help</Message>');
    const viaB = await twilioInbound(api, { from: phones[1] ?? '', to: SMS_B, body: 'INFO' });
    expect(viaB.body).toContain('>Second help</Message>');
    const rows = await api.database.db
      .selectFrom('inbound_messages')
      .select(['campaign_id', 'contact_id', 'classification'])
      .where('from_phone', '=', phones[1] ?? '')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { campaign_id: first, contact_id: id(phones[1]), classification: 'help' },
      { campaign_id: second, contact_id: id(phones[1]), classification: 'help' },
    ]);
  });

  it('opts out on STOP at once, for every campaign, and stores a retried webhook once', async () => {
    const { db } = api.database;
    const phone = phones[2] ?? '';
    const third = await seedCampaign(db, {
      audienceId: (
        await db
          .selectFrom('campaigns')
          .select('audience_id')
          .where('id', '=', first)
          .executeTakeFirstOrThrow()
      ).audience_id,
      smsPoolId: (
        await db
          .selectFrom('campaigns')
          .select('sms_pool_id')
          .where('id', '=', first)
          .executeTakeFirstOrThrow()
      ).sms_pool_id,
    });
    await seedSent(db, {
      campaignId: third,
      contactId: id(phone),
      to: phone,
      from: SMS_A,
      status: 'pending',
    });
    const sid = nextSid();
    const response = await twilioInbound(api, { from: phone, to: SMS_A, body: 'STOP', sid });
    expect(response.statusCode).toBe(200);
    // Twilio confirms its own keywords: tandem answers with empty TwiML.
    expect(response.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const retried = await twilioInbound(api, { from: phone, to: SMS_A, body: 'STOP', sid });
    expect(retried.body).toBe(response.body);
    expect(
      await countRows(
        db,
        sql`SELECT count(*) AS n FROM inbound_messages WHERE provider_sid = ${sid}`,
      ),
    ).toBe(1);
    expect(
      await countRows(
        db,
        sql`SELECT count(*) AS n FROM consent_events WHERE contact_id = ${id(phone)}`,
      ),
    ).toBe(1);
    const contact = await db
      .selectFrom('contacts')
      .select('opted_out_at')
      .where('id', '=', id(phone))
      .executeTakeFirstOrThrow();
    expect(contact.opted_out_at).not.toBeNull();
    const pending = await db
      .selectFrom('messages')
      .select(['status', 'skip_reason'])
      .where('campaign_id', '=', third)
      .executeTakeFirstOrThrow();
    expect(pending).toEqual({ status: 'skipped', skip_reason: 'opted_out' });
  });

  it('confirms a natural opt-out once, and START opts back in', async () => {
    const phone = phones[3] ?? '';
    const natural = await twilioInbound(api, {
      from: phone,
      to: SMS_B,
      body: 'Please stop texting me',
    });
    expect(natural.body).toContain('>You&apos;re unsubscribed');
    const again = await twilioInbound(api, { from: phone, to: SMS_B, body: 'stop texting me!!' });
    expect(again.body).not.toContain('<Message');
    const start = await twilioInbound(api, { from: phone, to: SMS_B, body: 'START' });
    expect(start.statusCode).toBe(200);
    const history = await api.database.db
      .selectFrom('consent_events')
      .select(['action', 'channel'])
      .where('contact_id', '=', id(phone))
      .orderBy('id')
      .execute();
    expect(history.map((h) => h.action)).toEqual(['opt_out', 'opt_out', 'opt_in']);
    const contact = await api.database.db
      .selectFrom('contacts')
      .select('opted_out_at')
      .where('id', '=', id(phone))
      .executeTakeFirstOrThrow();
    expect(contact.opted_out_at).toBeNull();
  });

  it('remembers a STOP from a number it does not know', async () => {
    const stranger = '+16285559999';
    const response = await twilioInbound(api, { from: stranger, to: SMS_A, body: 'stop' });
    expect(response.statusCode).toBe(200);
    const contact = await api.database.db
      .selectFrom('contacts')
      .select(['id', 'opted_out_at'])
      .where('phone', '=', stranger)
      .executeTakeFirstOrThrow();
    expect(contact.opted_out_at).not.toBeNull();
  });

  it('refuses forged, unsigned and stale Blooio webhooks with 403 and changes nothing', async () => {
    const before = await inboundCount();
    const event = {
      event: 'message.received',
      message_id: 'msg_forged',
      external_id: phones[4],
      internal_id: BLOOIO[0],
      protocol: 'imessage',
      text: 'STOP',
    };
    for (const forge of ['unsigned', 'wrong', 'stale'] as const) {
      const response = await blooioWebhook(api, event, { forge });
      expect(response.statusCode).toBe(403);
    }
    expect(await inboundCount()).toBe(before);
    const contact = await api.database.db
      .selectFrom('contacts')
      .select('opted_out_at')
      .where('phone', '=', phones[4] ?? '')
      .executeTakeFirstOrThrow();
    expect(contact.opted_out_at).toBeNull();
  });

  it('opts out of SMS too on a STOP received over Blooio, recording the protocol', async () => {
    const phone = phones[5] ?? '';
    const event = {
      event: 'message.received',
      message_id: nextSid('msg_'),
      external_id: phone,
      internal_id: BLOOIO[0],
      protocol: 'sms',
      text: 'Stop',
      sender: phone,
      is_group: false,
      timestamp: Date.now(),
    };
    const response = await blooioWebhook(api, event);
    expect(response.statusCode).toBe(204);
    const { db } = api.database;
    const stored = await db
      .selectFrom('inbound_messages')
      .select(['provider', 'protocol', 'classification'])
      .where('provider_sid', '=', event.message_id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ provider: 'blooio', protocol: 'sms', classification: 'opt_out' });
    const consent = await db
      .selectFrom('consent_events')
      .select(['action', 'channel'])
      .where('contact_id', '=', id(phone))
      .execute();
    expect(consent).toEqual([{ action: 'opt_out', channel: 'imessage' }]);
    const contact = await db
      .selectFrom('contacts')
      .select('opted_out_at')
      .where('id', '=', id(phone))
      .executeTakeFirstOrThrow();
    expect(contact.opted_out_at).not.toBeNull();
  });

  it('applies Blooio statuses to the follow-up once and in order', async () => {
    const { db } = api.database;
    const phone = phones[6] ?? '';
    await seedFollowUp(db, {
      contactId: id(phone),
      campaignId: second,
      to: phone,
      sid: 'msg_status1',
    });
    const status = (value: string) => ({
      event: 'message.status',
      message_id: 'msg_status1',
      status: value,
      protocol: 'imessage',
      timestamp: Date.now(),
    });
    for (const value of ['sent', 'delivered', 'sent', 'delivered']) {
      expect((await blooioWebhook(api, status(value))).statusCode).toBe(204);
    }
    const row = await db
      .selectFrom('conversation_messages')
      .select(['status', 'protocol'])
      .where('provider_sid', '=', 'msg_status1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'delivered', protocol: 'imessage' });
    expect(
      await countRows(
        db,
        sql`SELECT count(*) AS n FROM message_events WHERE provider_sid = 'msg_status1'`,
      ),
    ).toBe(2);
  });

  it('stores a burst of concurrent replies and statuses once each, answering each right', async () => {
    const { db } = api.database;
    const burst = phones.slice(8, 12);
    const sids = [...burst, ...burst].map(() => nextSid());
    // Every message is delivered three times at once, as a carrier retrying under load would.
    const deliveries = sids.flatMap((sid, n) =>
      [0, 1, 2].map(() => ({
        sid,
        from: burst[n % burst.length] ?? '',
        body: n % 2 === 0 ? 'HELP' : 'Who is this?',
      })),
    );
    const responses = await Promise.all(
      deliveries.map((d) =>
        twilioInbound(api, { from: d.from, to: SMS_A, body: d.body, sid: d.sid }),
      ),
    );
    responses.forEach((response, index) => {
      expect(response.statusCode).toBe(200);
      if (deliveries[index]?.body === 'HELP')
        expect(response.body).toContain('>First campaign help</Message>');
      else expect(response.body).not.toContain('<Message');
    });
    const stored = await db
      .selectFrom('inbound_messages')
      .select(['provider_sid', 'contact_id', 'campaign_id', 'classification'])
      .where('provider_sid', 'in', sids)
      .execute();
    expect(stored).toHaveLength(sids.length);
    for (const row of stored) {
      const n = sids.indexOf(row.provider_sid);
      expect(row).toMatchObject({
        contact_id: id(burst[n % burst.length]),
        campaign_id: first,
        classification: n % 2 === 0 ? 'help' : 'other',
      });
    }

    await seedFollowUp(db, {
      contactId: id(burst[0]),
      campaignId: second,
      to: burst[0] ?? '',
      sid: 'msg_burst1',
    });
    const statuses = ['sent', 'delivered', 'sent', 'queued', 'delivered', 'sent'];
    const answers = await Promise.all(
      statuses.map((status) =>
        blooioWebhook(api, {
          event: 'message.status',
          message_id: 'msg_burst1',
          status,
          protocol: 'imessage',
          timestamp: Date.now(),
        }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual(statuses.map(() => 204));
    const row = await db
      .selectFrom('conversation_messages')
      .select('status')
      .where('provider_sid', '=', 'msg_burst1')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('delivered');
    const events = await db
      .selectFrom('message_events')
      .select('status')
      .where('provider_sid', '=', 'msg_burst1')
      .orderBy('status')
      .execute();
    expect(events.map((event) => event.status)).toEqual(['delivered', 'queued', 'sent']);
  });

  it('shows a conversation by contact id or by phone', async () => {
    const phone = phones[12] ?? '';
    await twilioInbound(api, { from: phone, to: SMS_A, body: 'help' });
    await twilioInbound(api, { from: phone, to: SMS_B, body: 'INFO' });
    const byId = await api.app.inject({
      method: 'GET',
      url: `/v1/conversations/${id(phone)}`,
      headers: api.auth,
    });
    expect(byId.statusCode, byId.body).toBe(200);
    const inbound = (messages: { kind: string; body: string }[]) =>
      messages.filter((m) => m.kind === 'inbound').map((m) => m.body);
    expect(inbound(byId.json().messages)).toEqual(['help', 'INFO']);
    const byPhone = await api.app.inject({
      method: 'GET',
      url: `/v1/conversations/${encodeURIComponent(phone)}`,
      headers: api.auth,
    });
    expect(byPhone.json().contact.id).toBe(id(phone));
    const missing = await api.app.inject({
      method: 'GET',
      url: '/v1/conversations/%2B16285550000',
      headers: api.auth,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('counts replies, interest and opt-outs in the campaign funnel', async () => {
    const { db } = api.database;
    const interested = phones[13] ?? '';
    const natural = phones[14] ?? '';
    const overBlooio = phones[15] ?? '';
    const smsPool = await seedPool(db, [{ phone: SMS_C }]);
    const campaignId = await seedCampaign(db, { audienceId, smsPoolId: smsPool });
    for (const phone of [interested, natural, overBlooio])
      await seedSent(db, { campaignId, contactId: id(phone), to: phone, from: SMS_C });
    const yes = await twilioInbound(api, { from: interested, to: SMS_C, body: 'Yes please' });
    expect(yes.statusCode).toBe(200);
    const stop = await twilioInbound(api, { from: natural, to: SMS_C, body: 'Please stop' });
    expect(stop.statusCode).toBe(200);
    const blooioStop = await blooioWebhook(api, {
      event: 'message.received',
      message_id: nextSid('msg_'),
      external_id: overBlooio,
      internal_id: BLOOIO[0],
      protocol: 'imessage',
      text: 'STOP',
      sender: overBlooio,
      is_group: false,
      timestamp: Date.now(),
    });
    expect(blooioStop.statusCode).toBe(204);
    const campaign = await api.app.inject({
      method: 'GET',
      url: `/v1/campaigns/${campaignId}`,
      headers: api.auth,
    });
    expect(campaign.statusCode, campaign.body).toBe(200);
    // The Blooio STOP counts for the campaign that texted the contact last.
    expect(campaign.json().funnel).toMatchObject({
      replied: 3,
      interested: 1,
      opted_out: 2,
      handed_off: 0,
    });
  });
});
