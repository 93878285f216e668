import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BLOOIO_NUMBERS } from '../../sandbox/settings.ts';
import { createCampaign, launch, waitFor, waitForStatus } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';

const SENDERS = ['+14155550061', '+14155550062', '+14155550063'];
const SLOW_SENDER = '+14155550069';
const [CARRIER_OPTED_OUT = '', CALLBACK_21610 = '', ...OTHERS] = contactPhones(6, '628');
const ALWAYS = { start: '00:00', end: '24:00' };

/** A sending window, inside 08:00–21:00, that is closed now for a contact in Los Angeles. */
function closedWindow(): { start: string; end: string } {
  const hour = Number(
    new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/Los_Angeles',
      hour: 'numeric',
      hourCycle: 'h23',
    }).format(new Date()),
  );
  return hour < 14 ? { start: '15:00', end: '21:00' } : { start: '08:00', end: '09:00' };
}

describe('consent: carrier 21610, operator actions and the export', () => {
  let stack: CampaignStack;
  const db = () => stack.api.database.db;
  const inject = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    stack.api.app.inject({
      method,
      url,
      headers: stack.api.auth,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const contactId = async (phone: string) =>
    (
      await db()
        .selectFrom('contacts')
        .select('id')
        .where('phone', '=', phone)
        .executeTakeFirstOrThrow()
    ).id;
  const message = (campaignId: string, phone: string) =>
    db()
      .selectFrom('messages')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('to_phone', '=', phone)
      .executeTakeFirst();
  const eventsOf = (phone: string) =>
    db()
      .selectFrom('consent_events')
      .innerJoin('contacts', 'contacts.id', 'consent_events.contact_id')
      .selectAll('consent_events')
      .where('contacts.phone', '=', phone)
      .orderBy('consent_events.id')
      .execute();

  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: {
        numbers: [
          ...SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 50, latencyMs: 5 })),
          { phoneNumber: SLOW_SENDER, mps: 1, latencyMs: 5 },
        ],
        recipients: [
          // Advanced Opt-Out took their STOP: tandem never saw it, every send is refused.
          { phoneNumber: CARRIER_OPTED_OUT, carrierOptOut: true },
          // Accepted, then failed 21610 in the status callback.
          { phoneNumber: CALLBACK_21610, errorCode: 21610 },
        ],
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a 21610 at send time opts the person out everywhere: one request, no other number, their other campaign skipped', async () => {
    const pool = await seedPool(
      db(),
      SENDERS.map((phone) => ({ phone, mps: 50 })),
    );
    const everyone = await seedAudience(
      db(),
      [CARRIER_OPTED_OUT, CALLBACK_21610, ...OTHERS].map((phone) => ({ phone })),
    );
    const later = await seedAudience(
      db(),
      [CARRIER_OPTED_OUT, ...OTHERS].map((phone) => ({ phone })),
    );
    // The second campaign runs but waits for its window: its rows are pending.
    const waiting = await createCampaign(stack.api, {
      audience_id: later,
      sms_pool_id: pool,
      quiet_hours: closedWindow(),
    });
    await launch(stack.api, waiting);
    await waitFor('the second campaign to defer its rows', async () => {
      const row = await message(waiting, CARRIER_OPTED_OUT);
      return row?.status === 'pending' && row.wait_reason === 'quiet_hours' ? row : undefined;
    });

    // An iMessage conversation of theirs, with a hand-off not yet sent: it must stop too.
    const conversation = await db()
      .insertInto('conversations')
      .values({
        contact_id: await contactId(CARRIER_OPTED_OUT),
        campaign_id: null,
        workflow_id: `conversation-seeded-${CARRIER_OPTED_OUT}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('conversation_handoffs')
      .values({ conversation_id: conversation.id, campaign_id: null, step: 1, mode: 'imessage' })
      .execute();

    const first = await createCampaign(stack.api, {
      audience_id: everyone,
      sms_pool_id: pool,
      quiet_hours: ALWAYS,
      // Retries are allowed, and from another number: a 21610 must use none of them.
      retry_policy: { max_attempts: 5, backoff_seconds: 1 },
    });
    await launch(stack.api, first);
    await waitForStatus(stack.api, first, 'completed', 120_000);

    const refused = await message(first, CARRIER_OPTED_OUT);
    expect(refused).toMatchObject({ status: 'failed', error_code: 21610, attempts: 1 });
    expect(refused?.final_at).not.toBeNull();
    const requests = stack.sandbox.refusals({ to: CARRIER_OPTED_OUT });
    expect(requests.total).toBe(1);
    expect(requests.refusals[0]?.code).toBe(21610);
    expect(stack.sandbox.ledger({ to: CARRIER_OPTED_OUT }).total).toBe(0);

    const person = await contactId(CARRIER_OPTED_OUT);
    const contact = await db()
      .selectFrom('contacts')
      .select('opted_out_at')
      .where('id', '=', person)
      .executeTakeFirstOrThrow();
    expect(contact.opted_out_at).not.toBeNull();
    const [event, ...more] = await eventsOf(CARRIER_OPTED_OUT);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      action: 'opt_out',
      channel: 'sms',
      source: 'carrier_21610',
      campaign_id: first,
      message_id: refused?.id,
      detail: '21610: Attempt to send to unsubscribed recipient',
    });
    expect(await message(waiting, CARRIER_OPTED_OUT)).toMatchObject({
      status: 'skipped',
      skip_reason: 'opted_out',
    });
    expect(
      await db()
        .selectFrom('conversations')
        .innerJoin(
          'conversation_handoffs',
          'conversation_handoffs.conversation_id',
          'conversations.id',
        )
        .select(['conversations.status as conversation', 'conversation_handoffs.status as handoff'])
        .where('conversations.id', '=', conversation.id)
        .execute(),
    ).toEqual([{ conversation: 'opted_out', handoff: 'skipped' }]);
    // Everyone else in the waiting campaign still waits for the window.
    expect(await message(waiting, OTHERS[0] ?? '')).toMatchObject({ status: 'pending' });

    // The same code in a status callback opts out the same way, naming the message.
    const failedLater = await message(first, CALLBACK_21610);
    expect(failedLater).toMatchObject({ status: 'undelivered', error_code: 21610 });
    expect(stack.sandbox.ledger({ to: CALLBACK_21610 }).total).toBe(1);
    const [callbackEvent] = await eventsOf(CALLBACK_21610);
    expect(callbackEvent).toMatchObject({
      action: 'opt_out',
      channel: 'sms',
      source: 'carrier_21610',
      campaign_id: first,
      message_id: failedLater?.id,
    });
    expect(callbackEvent?.detail).toMatch(/^21610: /);

    const profile = await inject('GET', `/v1/contacts/${encodeURIComponent(CARRIER_OPTED_OUT)}`);
    expect(profile.statusCode, profile.body).toBe(200);
    expect(profile.json().consent_events).toMatchObject([
      { source: 'carrier_21610', message_id: refused?.id, phone: CARRIER_OPTED_OUT },
    ]);
    await inject('POST', `/v1/campaigns/${waiting}/cancel`);
  });

  it('an operator opt-out stops a send already claimed and waiting for its slot', async () => {
    const phones = contactPhones(16, '415');
    const target = phones[14] ?? '';
    const pool = await seedPool(db(), [{ phone: SLOW_SENDER, mps: 1 }], { name: 'slow' });
    const audience = await seedAudience(
      db(),
      phones.map((phone) => ({ phone })),
    );
    const campaign = await createCampaign(stack.api, {
      audience_id: audience,
      sms_pool_id: pool,
      quiet_hours: ALWAYS,
    });
    await launch(stack.api, campaign);
    await waitFor('the target row to be claimed, waiting for its slot', async () => {
      const row = await message(campaign, target);
      return row?.status === 'sending' && row.provider_sid === null ? row : undefined;
    });
    const response = await inject('POST', `/v1/contacts/${encodeURIComponent(target)}/opt-out`, {
      reason: 'Asked us by email to stop',
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      contact: { phone: target, opted_out: true },
      changed: true,
      event: {
        action: 'opt_out',
        channel: 'all',
        source: 'operator',
        reason: 'Asked us by email to stop',
        phone: target,
      },
    });
    expect(JSON.parse(body.event.detail)).toEqual({
      method: 'POST',
      path: `/v1/contacts/${encodeURIComponent(target)}/opt-out`,
      body: { reason: 'Asked us by email to stop' },
    });
    const skipped = await waitFor('the claimed row to be skipped', async () => {
      const row = await message(campaign, target);
      return row?.status === 'skipped' ? row : undefined;
    });
    expect(skipped).toMatchObject({ skip_reason: 'opted_out', provider_sid: null });
    expect(stack.sandbox.ledger({ to: target }).total).toBe(0);
    expect(stack.sandbox.refusals({ to: target }).total).toBe(0);

    const again = await inject('POST', `/v1/contacts/${encodeURIComponent(target)}/opt-out`, {
      reason: 'twice',
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ changed: false, event: null });
    expect(await eventsOf(target)).toHaveLength(1);
    await inject('POST', `/v1/campaigns/${campaign}/cancel`);
  });

  it("an operator may undo an operator's opt-out, never the person's own STOP", async () => {
    const [byOperator = '', bySms = '', unknown = ''] = contactPhones(3, '213');
    await seedAudience(db(), [{ phone: byOperator }, { phone: bySms }]);
    const optOut = (phone: string, reason: unknown = 'Complaint by phone') =>
      inject('POST', `/v1/contacts/${encodeURIComponent(phone)}/opt-out`, { reason });
    const optIn = (phone: string, reason: unknown = 'They asked to hear from us again') =>
      inject('POST', `/v1/contacts/${encodeURIComponent(phone)}/opt-in`, { reason });

    expect((await optOut(byOperator)).statusCode).toBe(201);
    const undone = await optIn(await contactId(byOperator));
    expect(undone.statusCode, undone.body).toBe(201);
    expect(undone.json()).toMatchObject({
      contact: { opted_out: false, opted_out_at: null },
      changed: true,
      event: { action: 'opt_in', source: 'operator', channel: 'all' },
    });
    const noChange = await optIn(byOperator);
    expect(noChange.statusCode).toBe(200);
    expect(noChange.json()).toMatchObject({ changed: false, event: null });

    // The person texts STOP: only they can opt back in, even after an operator's opt-out too.
    stack.sandbox.injectSms({ from: bySms, to: SENDERS[0] ?? '', body: 'STOP' });
    await waitFor('the STOP to be recorded', async () =>
      (await eventsOf(bySms)).length === 1 ? true : undefined,
    );
    expect((await optOut(bySms)).json()).toMatchObject({ changed: false });
    for (const phone of [bySms, CARRIER_OPTED_OUT]) {
      const refused = await optIn(phone);
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().error).toMatchObject({
        code: 'recipient_opted_out',
        message: expect.stringContaining('Only the recipient can opt back in'),
      });
    }
    expect(
      (
        await db()
          .selectFrom('contacts')
          .select('opted_out_at')
          .where('phone', '=', bySms)
          .executeTakeFirstOrThrow()
      ).opted_out_at,
    ).not.toBeNull();
    // Their START opts them back in, and a later STOP opts them out as usual.
    stack.sandbox.injectSms({ from: bySms, to: SENDERS[0] ?? '', body: 'START' });
    await waitFor('the START to be recorded', async () =>
      (await eventsOf(bySms)).some((event) => event.action === 'opt_in') ? true : undefined,
    );
    expect((await optOut(bySms, 'Operator again')).statusCode).toBe(201);
    expect((await optIn(bySms)).statusCode).toBe(201);
    stack.sandbox.injectSms({ from: bySms, to: SENDERS[0] ?? '', body: 'STOP' });
    await waitFor('the second STOP to opt them out', async () => {
      const events = await eventsOf(bySms);
      return events.at(-1)?.source === 'sms_keyword' && events.at(-1)?.action === 'opt_out'
        ? true
        : undefined;
    });
    expect((await optIn(bySms)).statusCode).toBe(409);

    // Bad input: 404 for an unknown contact, 400 for a missing, empty or too long reason.
    const missing = await optIn(unknown);
    expect(missing.statusCode, missing.body).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(501) }]) {
      const bad = await inject(
        'POST',
        `/v1/contacts/${encodeURIComponent(byOperator)}/opt-out`,
        body,
      );
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().error.code).toBe('invalid_request');
    }
    const noBody = await stack.api.app.inject({
      method: 'POST',
      url: `/v1/contacts/${encodeURIComponent(byOperator)}/opt-in`,
      headers: stack.api.auth,
    });
    expect(noBody.statusCode, noBody.body).toBe(400);
    expect((await optOut('not-a-phone!')).statusCode).toBe(400);
  });

  it('the export lists every consent event of the run, a page at a time, and the CSV the same rows', async () => {
    // A STOP over iMessage, to the follow-up line, completes the set of sources.
    const [overImessage = ''] = contactPhones(1, '310');
    stack.sandbox.injectBlooio({
      from: overImessage,
      to: DEFAULT_BLOOIO_NUMBERS[0] ?? '',
      text: 'STOP',
    });
    await waitFor('the iMessage STOP to be recorded', async () =>
      (await eventsOf(overImessage)).length === 1 ? true : undefined,
    );

    const stored = await sql<{
      id: string;
    }>`SELECT id::text AS id FROM consent_events ORDER BY created_at, id`.execute(db());
    const pages: { id: string; source: string; action: string }[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const response = await inject('GET', `/v1/consent-events?limit=3${query}`);
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json();
      pages.push(page.events);
      cursor = page.next_cursor;
    } while (cursor !== null);
    const listed = pages.flat();
    expect(pages.length).toBeGreaterThan(2);
    expect(listed.map((event) => event.id)).toEqual(stored.rows.map((row) => row.id));
    const kinds = new Set(listed.map((event) => `${event.action}:${event.source}`));
    for (const kind of [
      'opt_out:sms_keyword',
      'opt_out:imessage_keyword',
      'opt_in:sms_keyword',
      'opt_out:carrier_21610',
      'opt_out:operator',
      'opt_in:operator',
    ])
      expect(kinds, kind).toContain(kind);

    const since = listed[2] as unknown as { created_at: string };
    const recent = await inject(
      'GET',
      `/v1/consent-events?since=${encodeURIComponent(since.created_at)}&limit=1000`,
    );
    expect(recent.json().events.length).toBeLessThanOrEqual(listed.length - 2);
    expect(recent.json().events.length).toBeGreaterThan(0);

    const csv = await inject('GET', '/v1/consent-events.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...records] = parse(csv.body) as string[][];
    expect(header).toEqual([
      'id',
      'contact_id',
      'phone',
      'action',
      'channel',
      'source',
      'keyword',
      'detail',
      'reason',
      'campaign_id',
      'message_id',
      'inbound_message_id',
      'created_at',
    ]);
    const json = (await inject('GET', '/v1/consent-events?limit=1000')).json().events as Record<
      string,
      string | null
    >[];
    expect(records).toEqual(
      json.map((event) => (header ?? []).map((column) => event[column] ?? '')),
    );

    for (const url of [
      '/v1/consent-events?since=yesterday',
      '/v1/consent-events?since=2026-02-31',
      '/v1/consent-events?cursor=not-a-cursor',
      '/v1/consent-events?limit=0',
      '/v1/consent-events?limit=abc',
      '/v1/consent-events?limit=100000',
      '/v1/consent-events.csv?since=soon',
    ]) {
      const bad = await inject('GET', url);
      expect(bad.statusCode, `${url}: ${bad.body}`).toBe(400);
      expect(bad.json().error.code, url).toMatch(/^invalid_/);
    }
  });
});
