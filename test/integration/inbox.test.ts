import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BLOOIO_NUMBERS } from '../../sandbox/settings.ts';
import { waitFor } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { contactIds, seedCampaign, seedSent } from './replies-fixtures.ts';

const SMS = '+14155550061';

interface InboxRow {
  id: string;
  contact: { id: string; phone: string; name: string | null; opted_out: boolean };
  campaign_id: string | null;
  line: string | null;
  state: 'open' | 'closed';
  assigned_to: string | null;
  needs_reply: boolean;
  unread: number;
  last_message: {
    direction: string;
    channel: string;
    body: string;
    author: string | null;
  } | null;
}

interface InboxPage {
  conversations: InboxRow[];
  next_cursor: string | null;
}

/**
 * The inbox through the real stack: YES replies are handed off by the conversation workflow
 * to a sticky Blooio line, and each shows in `needs_reply` with its line and last message; an
 * agent reads, assigns, closes and reopens; the contact's next message reopens and counts as
 * unread; pages follow each other without gaps or repeats.
 */
describe('the conversation inbox', () => {
  let stack: CampaignStack;
  let phones: string[];
  let ids: Map<string, string>;
  let campaignId: string;

  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: { numbers: [{ phoneNumber: SMS, mps: 50, latencyMs: { min: 5, max: 20 } }] },
      env: { BLOOIO_RETRY_INITIAL_SECONDS: '0.2' },
    });
    const { db } = stack.api.database;
    phones = contactPhones(6, '629');
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const smsPool = await seedPool(db, [{ phone: SMS, mps: 50 }]);
    const blooioPool = await seedPool(
      db,
      DEFAULT_BLOOIO_NUMBERS.map((phone) => ({ phone })),
      { provider: 'blooio' },
    );
    ids = await contactIds(db, phones);
    campaignId = await seedCampaign(db, {
      audienceId,
      smsPoolId: smsPool,
      followupPoolId: blooioPool,
    });
    for (const phone of phones) {
      await seedSent(db, { campaignId, contactId: ids.get(phone) ?? '0', to: phone, from: SMS });
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  const get = async (query: string): Promise<InboxPage> => {
    const response = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/conversations?${query}`,
      headers: stack.api.auth,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const act = async (phone: string, action: string, payload?: Record<string, unknown>) => {
    const response = await stack.api.app.inject({
      method: 'POST',
      url: `/v1/conversations/${encodeURIComponent(phone)}/${action}`,
      headers: stack.api.auth,
      ...(payload === undefined ? {} : { payload }),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { state: string; assigned_to: string | null; unread: number };
  };
  const row = async (phone: string) =>
    (await get(`campaign_id=${campaignId}&limit=200`)).conversations.find(
      (r) => r.contact.phone === phone,
    );

  it('lists every YES as needing a reply, on the line it was handed off to', async () => {
    const yes = phones.slice(0, 4);
    for (const phone of yes) await stack.sandbox.injectSms({ from: phone, to: SMS, body: 'YES' });
    // "Maybe" is no hand-off, but the person answered: the inbox shows them too.
    const maybe = phones[4] ?? '';
    await stack.sandbox.injectSms({ from: maybe, to: SMS, body: 'Maybe, who is this?' });
    // Accepted by Blooio: the follow-up is stored before it is sent, and takes its id and
    // protocol from Blooio's answer.
    const { db } = stack.api.database;
    await waitFor('four follow-ups accepted by Blooio', async () => {
      const accepted = await db
        .selectFrom('conversation_messages')
        .select('to_phone')
        .where('to_phone', 'in', yes)
        .where('provider_sid', 'is not', null)
        .execute();
      return accepted.length === 4 ? true : undefined;
    });
    const handedOff = await waitFor('the reply without a hand-off in the inbox', async () => {
      const page = await get('needs_reply=true&limit=200');
      return page.conversations.some((r) => r.contact.phone === maybe) ? page : undefined;
    });
    const byPhone = new Map(handedOff.conversations.map((r) => [r.contact.phone, r]));
    for (const phone of yes) {
      const entry = byPhone.get(phone);
      const [followup] = stack.sandbox.ledger({ channel: 'imessage', to: phone }).entries;
      // The channel is the protocol Blooio reported for the follow-up (iMessage, or SMS when
      // the person has no iMessage).
      const sent = await db
        .selectFrom('conversation_messages')
        .select(['protocol', 'body'])
        .where('to_phone', '=', phone)
        .executeTakeFirstOrThrow();
      expect(entry).toMatchObject({
        contact: { id: ids.get(phone), phone, opted_out: false },
        campaign_id: campaignId,
        line: followup?.from,
        state: 'open',
        needs_reply: true,
        unread: 1,
        // The follow-up went out after the YES: it is the last message, and no person wrote it.
        last_message: {
          direction: 'outbound',
          channel: sent.protocol,
          body: sent.body,
          author: null,
        },
      });
    }
    expect(byPhone.get(maybe)).toMatchObject({
      line: null,
      needs_reply: true,
      last_message: { direction: 'inbound', channel: 'sms', body: 'Maybe, who is this?' },
    });
    // Nobody who never answered is in the inbox.
    expect(byPhone.has(phones[5] ?? '')).toBe(false);
  });

  it('reads, assigns, filters, closes and reopens; a new message reopens and is unread', async () => {
    const phone = phones[0] ?? '';
    expect(await act(phone, 'read')).toMatchObject({ unread: 0 });
    expect(await act(phone, 'assign', { agent: 'ana' })).toMatchObject({ assigned_to: 'ana' });
    const mine = await get('assigned_to=ana');
    expect(mine.conversations.map((r) => r.contact.phone)).toEqual([phone]);
    expect(await act(phone, 'close')).toMatchObject({ state: 'closed' });
    expect((await get('state=closed')).conversations.map((r) => r.contact.phone)).toEqual([phone]);
    expect(
      (await get('needs_reply=true')).conversations.some((r) => r.contact.phone === phone),
    ).toBe(false);
    expect(await act(phone, 'reopen')).toMatchObject({ state: 'open' });
    await act(phone, 'close');

    const line = (await row(phone))?.line ?? '';
    await stack.sandbox.injectBlooio({ from: phone, to: line, text: 'Still there?' });
    const reopened = await waitFor('the new message to reopen the conversation', async () => {
      const found = await row(phone);
      return found?.state === 'open' && found.unread === 1 ? found : undefined;
    });
    expect(reopened).toMatchObject({
      needs_reply: true,
      assigned_to: 'ana',
      last_message: { direction: 'inbound', channel: 'imessage', body: 'Still there?' },
    });
    // Newest activity first.
    expect((await get('limit=1')).conversations[0]?.contact.phone).toBe(phone);
    // Search by part of the phone.
    expect((await get(`q=${phone.slice(-7)}`)).conversations.map((r) => r.contact.phone)).toEqual([
      phone,
    ]);
  });

  it('pages without gaps or repeats', async () => {
    const all = (await get('limit=200')).conversations.map((r) => r.id);
    expect(all.length).toBeGreaterThanOrEqual(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: InboxPage = await get(
        `limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      seen.push(...page.conversations.map((r) => r.id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(all);
  });

  it('answers bad input with a 4xx and a JSON error', async () => {
    for (const url of [
      '/v1/conversations?cursor=nonsense',
      '/v1/conversations?needs_reply=maybe',
      '/v1/conversations?campaign_id=12',
      '/v1/conversations?limit=0',
    ]) {
      const response = await stack.api.app.inject({ method: 'GET', url, headers: stack.api.auth });
      expect(response.statusCode, url).toBe(400);
      expect(response.json()).toHaveProperty('error.code');
    }
    const unknown = await stack.api.app.inject({
      method: 'POST',
      url: '/v1/conversations/+14155559999/close',
      headers: stack.api.auth,
    });
    expect(unknown.statusCode).toBe(404);
    const badAgent = await stack.api.app.inject({
      method: 'POST',
      url: `/v1/conversations/${encodeURIComponent(phones[1] ?? '')}/assign`,
      headers: stack.api.auth,
      payload: { agent: '' },
    });
    expect(badAgent.statusCode).toBe(400);
  });
});
