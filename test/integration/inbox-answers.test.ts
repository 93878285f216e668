import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import { DEFAULT_BLOOIO_NUMBERS } from '../../sandbox/settings.ts';
import { waitFor } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { contactIds, seedCampaign, seedSent } from './replies-fixtures.ts';

const SMS = '+14155550071';

interface Answer {
  message: {
    id: string;
    idempotency_key: string;
    status: string;
    blooio_message_id: string | null;
    from: string | null;
    to: string;
    text: string;
    author: string | null;
    error: string | null;
  };
  replayed: boolean;
}

/**
 * Agents answer hand-offs from the inbox, through the real stack: each answer leaves once,
 * from the contact's sticky Blooio line (the hand-off's), with its Blooio id; a repeated
 * Idempotency-Key (also after an API restart) sends nothing more; the contact's reply puts the
 * conversation back in `needs_reply`; an opt-out over iMessage refuses the next answer and
 * stops SMS too; Blooio 503s are retried by the conversation, not by the caller.
 */
describe('answering in the inbox', () => {
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
    phones = contactPhones(16, '631');
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

  const answer = (
    phone: string,
    payload: Record<string, unknown>,
    key?: string,
    app = stack.api.app,
  ) =>
    app.inject({
      method: 'POST',
      url: `/v1/conversations/${encodeURIComponent(phone)}/messages`,
      headers: { ...stack.api.auth, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      payload,
    });
  const needingReply = async () => {
    const response = await stack.api.app.inject({
      method: 'GET',
      url: '/v1/conversations?needs_reply=true&limit=200',
      headers: stack.api.auth,
    });
    const page = response.json() as {
      conversations: { contact: { phone: string }; line: string | null }[];
    };
    return new Map(page.conversations.map((row) => [row.contact.phone, row]));
  };
  const imessagesTo = (phone: string) =>
    stack.sandbox.ledger({ channel: 'imessage', to: phone }).entries;

  it('sends ten answers once each, from the line of the hand-off', async () => {
    const ten = phones.slice(0, 10);
    for (const phone of ten) await stack.sandbox.injectSms({ from: phone, to: SMS, body: 'YES' });
    await waitFor('ten hand-offs', async () =>
      ten.every((phone) => imessagesTo(phone).length === 1) ? true : undefined,
    );
    const waiting = await needingReply();
    expect(ten.every((phone) => waiting.has(phone))).toBe(true);

    for (const [i, phone] of ten.entries()) {
      const response = await answer(phone, { text: `Hi, this is Ana (${i})`, author: 'ana' });
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json() as Answer;
      const [handoff] = imessagesTo(phone);
      expect(body).toMatchObject({
        replayed: false,
        message: {
          status: 'queued',
          from: handoff?.from,
          to: phone,
          text: `Hi, this is Ana (${i})`,
          author: 'ana',
        },
      });
      expect(body.message.blooio_message_id).toEqual(expect.any(String));
      const sent = imessagesTo(phone);
      expect(sent).toHaveLength(2);
      expect(sent[1]).toMatchObject({ from: handoff?.from, body: `Hi, this is Ana (${i})` });
      expect(sent[1]?.sid).toBe(body.message.blooio_message_id);
    }
    const after = await needingReply();
    expect(ten.some((phone) => after.has(phone))).toBe(false);

    // The contact answers back: the conversation needs a person again.
    const [first = ''] = ten;
    const line = imessagesTo(first)[0]?.from ?? '';
    await stack.sandbox.injectBlooio({ from: first, to: line, text: 'Great, tell me more' });
    await waitFor('the reply to need an answer', async () =>
      (await needingReply()).has(first) ? true : undefined,
    );
  });

  it('sends one message for one Idempotency-Key, also after the API restarts', async () => {
    const phone = phones[0] ?? '';
    const before = imessagesTo(phone).length;
    const first = await answer(phone, { text: 'Are you free at 3?' }, 'key-3pm');
    expect(first.statusCode, first.body).toBe(201);
    const again = await answer(phone, { text: 'Are you free at 3?' }, 'key-3pm');
    expect(again.statusCode, again.body).toBe(200);
    expect((again.json() as Answer).replayed).toBe(true);
    expect((again.json() as Answer).message.id).toBe((first.json() as Answer).message.id);

    // A new API process: nothing of the first one's memory, the same database and Temporal.
    const restarted = await buildApp({
      config: stack.api.config,
      db: stack.api.database.db,
      databaseUrl: stack.api.database.url,
      temporal: stack.api.temporal,
    });
    await restarted.ready();
    try {
      const third = await answer(phone, { text: 'Are you free at 3?' }, 'key-3pm', restarted);
      expect(third.statusCode, third.body).toBe(200);
      expect((third.json() as Answer).message.id).toBe((first.json() as Answer).message.id);
      // The same key for another text is a different request: refused, nothing sent.
      const other = await answer(phone, { text: 'Or at 4?' }, 'key-3pm', restarted);
      expect(other.statusCode, other.body).toBe(422);
    } finally {
      await restarted.close();
    }
    expect(imessagesTo(phone).length).toBe(before + 1);
  });

  it('refuses an answer after a STOP over iMessage, and SMS stops too', async () => {
    const phone = phones[1] ?? '';
    const line = imessagesTo(phone)[0]?.from ?? '';
    await stack.sandbox.injectBlooio({ from: phone, to: line, text: 'STOP' });
    await waitFor('the opt-out', async () => {
      const contact = await stack.api.database.db
        .selectFrom('contacts')
        .select('opted_out_at')
        .where('phone', '=', phone)
        .executeTakeFirstOrThrow();
      return contact.opted_out_at !== null ? true : undefined;
    });
    const before = imessagesTo(phone).length;
    const refused = await answer(phone, { text: 'Sorry to see you go' });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'contact_opted_out' } });
    expect(imessagesTo(phone).length).toBe(before);
    // The SMS side: a pending campaign text for them is skipped, never sent.
    const { db } = stack.api.database;
    const pending = await db
      .selectFrom('messages')
      .select('status')
      .where('to_phone', '=', phone)
      .execute();
    expect(pending.every((row) => row.status !== 'pending')).toBe(true);
  });

  it("answers 403 with Blooio's words for a line the key does not own", async () => {
    const phone = phones[10] ?? '';
    const { db } = stack.api.database;
    const foreignPool = await seedPool(db, [{ phone: '+14155550998' }], {
      provider: 'blooio',
      name: 'not ours',
    });
    const number = await db
      .selectFrom('sender_numbers')
      .select('id')
      .where('pool_id', '=', foreignPool)
      .executeTakeFirstOrThrow();
    await stack.sandbox.injectSms({ from: phone, to: SMS, body: 'Who is this?' });
    await waitFor('the conversation', async () =>
      (await needingReply()).has(phone) ? true : undefined,
    );
    await db
      .updateTable('conversations')
      .set({ number_id: number.id })
      .where('contact_id', '=', ids.get(phone) ?? '0')
      .execute();
    const refused = await answer(phone, { text: 'Hello' });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json()).toMatchObject({
      error: { message: 'This API key does not own the specified from_number' },
    });
    expect(imessagesTo(phone)).toHaveLength(0);
  });

  it('gives a contact without a line one from the follow-up pool, and keeps it', async () => {
    const phone = phones[11] ?? '';
    await stack.sandbox.injectSms({ from: phone, to: SMS, body: 'Can someone call me?' });
    await waitFor('the conversation', async () =>
      (await needingReply()).has(phone) ? true : undefined,
    );
    const first = await answer(phone, { text: 'Sure, when?' });
    expect(first.statusCode, first.body).toBe(201);
    const line = (first.json() as Answer).message.from;
    expect(DEFAULT_BLOOIO_NUMBERS).toContain(line);
    const second = await answer(phone, { text: 'I can call at 5' });
    expect((second.json() as Answer).message.from).toBe(line);
    expect(imessagesTo(phone).map((entry) => entry.from)).toEqual([line, line]);
  });

  it('does not make the caller wait for Blooio 503s: the conversation retries', async () => {
    const phone = phones[12] ?? '';
    await stack.sandbox.injectSms({ from: phone, to: SMS, body: 'Hello?' });
    await waitFor('the conversation', async () =>
      (await needingReply()).has(phone) ? true : undefined,
    );
    stack.sandbox.setAvailability([...DEFAULT_BLOOIO_NUMBERS], false);
    try {
      const started = Date.now();
      const response = await answer(phone, { text: 'Hi there' });
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json() as Answer;
      expect(body.message.status).toBe('retrying');
      expect(body.message.error).toMatch(/503/);
      // Well under the conversation's back-off: one try, not its retries.
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      stack.sandbox.setAvailability([...DEFAULT_BLOOIO_NUMBERS], true);
    }
    await waitFor(
      'the retried answer',
      async () => (imessagesTo(phone).length === 1 ? true : undefined),
      30_000,
    );
    // The row takes Blooio's id once the activity has read its answer, a moment after the ledger.
    const storedSid = await waitFor('the retried answer stored with its id', async () => {
      const stored = await stack.api.database.db
        .selectFrom('conversation_messages')
        .select('provider_sid')
        .where('to_phone', '=', phone)
        .executeTakeFirstOrThrow();
      return stored.provider_sid ?? undefined;
    });
    expect(storedSid).toBe(imessagesTo(phone)[0]?.sid);
  });

  it('answers bad input with a 4xx and a JSON error', async () => {
    const phone = phones[0] ?? '';
    const cases: [Record<string, unknown>, number, Record<string, string>?][] = [
      [{ text: '' }, 400],
      [{ text: 'x'.repeat(4_001) }, 400],
      [{ text: 'hi', media_urls: ['ftp://example.com/a.png'] }, 400],
      [{ text: 'hi' }, 400, { 'idempotency-key': 'has space' }],
    ];
    for (const [payload, status, headers] of cases) {
      const response = await stack.api.app.inject({
        method: 'POST',
        url: `/v1/conversations/${encodeURIComponent(phone)}/messages`,
        headers: { ...stack.api.auth, ...headers },
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      expect(response.json()).toHaveProperty('error.code');
    }
    const unknown = await answer('+14155559998', { text: 'hi' });
    expect(unknown.statusCode).toBe(404);
  });
});
