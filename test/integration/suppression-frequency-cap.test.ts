import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { claimUnderCap } from '../../activities/frequency-cap.ts';
import { materializeRange, sendableInRange } from '../../db/messages.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { seedAudience, seedPool } from '../support/seed.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';
import {
  createCampaign,
  getCampaign,
  launch,
  waitFor,
  waitForStatus,
} from '../support/campaigns.ts';

const senders = ['+14155550001', '+14155550002', '+14155550003'];
const ALWAYS = { start: '00:00', end: '24:00' };
const SECOND_IN_DAYS = 1 / 86_400;

/** Distinct numbers per test (the database is shared by the file): +1 415 3bb nnnn. */
const phones = (block: number, count: number) =>
  Array.from(
    { length: count },
    (_, i) => `+1415${300 + block}${String(1000 + i).padStart(4, '0')}`,
  );

describe('suppression lists and the frequency cap', () => {
  let stack: CampaignStack;
  let poolId: string;
  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: {
        numbers: senders.map((phoneNumber) => ({ phoneNumber, mps: 50, latencyMs: 5 })),
      },
    });
    poolId = await seedPool(
      stack.api.database.db,
      senders.map((phone) => ({ phone, mps: 50 })),
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  const inject = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    stack.api.app.inject({
      method,
      url,
      headers: stack.api.auth,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const uploadCsv = (listId: string, csv: string, query = '') =>
    stack.api.app.inject({
      method: 'POST',
      url: `/v1/suppression-lists/${listId}/entries${query}`,
      headers: { ...stack.api.auth, 'content-type': 'text/csv' },
      payload: csv,
    });
  const createList = async (name: string): Promise<string> => {
    const response = await inject('POST', '/v1/suppression-lists', { name });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id;
  };
  const suppress = async (listId: string, numbers: readonly string[]) => {
    const response = await uploadCsv(listId, `phone\n${numbers.join('\n')}\n`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().rejected).toEqual([]);
  };
  const ledgerCounts = async () => {
    const ledger = await stack.sandbox.ledger({ channel: 'sms' });
    const counts = new Map<string, number>();
    for (const entry of ledger.entries) counts.set(entry.to, (counts.get(entry.to) ?? 0) + 1);
    return { entries: ledger.entries, counts };
  };
  const messagesOf = (campaignId: string) =>
    stack.api.database.db
      .selectFrom('messages')
      .select(['to_phone', 'status', 'skip_reason', 'wait_reason', 'next_attempt_at'])
      .where('campaign_id', '=', campaignId)
      .execute();

  it('imports a list with bad lines: each rejected with its line and byte, the good ones in', async () => {
    const { db } = stack.api.database;
    const listId = await createList('Litigators');
    const known = phones(0, 1)[0] ?? '';
    await seedAudience(db, [{ phone: known }]);
    const lines = [
      'name,phone', //                        line 1
      `Known,${known}`, //                     line 2: already a contact
      'Ann,(415) 301-2000', //                 line 3: national format, a new number
      'Bad,12', //                             line 4: too short
      '', //                                   line 5: blank
      'Nobody,', //                            line 6: missing
      'Dup,+14153012000', //                   line 7: the same number as line 3
      '"Multi\nline",not a number', //         lines 8-9: unparseable, starts on line 8
      'Last,+1 415 301 2001', //               line 10
    ];
    const csv = `${lines.join('\r\n')}\r\n`;
    const response = await uploadCsv(listId, csv);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    const byteOfLine = (line: number) =>
      Buffer.byteLength(lines.slice(0, line - 1).join('\r\n')) + (line > 1 ? 2 : 0);
    expect(body.rejected).toEqual([
      { line: 4, byte: byteOfLine(4), error: 'too_short', value: '12' },
      { line: 6, byte: byteOfLine(6), error: 'missing', value: '' },
      { line: 8, byte: byteOfLine(8), error: expect.any(String), value: 'not a number' },
    ]);
    expect(csv.slice(body.rejected[0].byte).startsWith('Bad,12')).toBe(true);
    expect(body).toMatchObject({
      rows_read: 7,
      accepted: 4,
      added: 3,
      already_listed: 0,
      duplicates: 1,
      rejected_count: 3,
      list: { id: listId, name: 'Litigators', global: false, entries: 3 },
    });

    // Stored by normalised phone, each with its consent event naming the list and the line.
    const entries = await db
      .selectFrom('suppression_entries')
      .select(['phone', 'line'])
      .where('list_id', '=', listId)
      .orderBy('phone')
      .execute();
    expect(entries).toEqual([
      { phone: known, line: 2 },
      { phone: '+14153012000', line: 7 },
      { phone: '+14153012001', line: 10 },
    ]);
    const events = await sql<{ phone: string; detail: string; suppression_list_id: string }>`
      SELECT c.phone, e.detail, e.suppression_list_id FROM consent_events e
        JOIN contacts c ON c.id = e.contact_id
       WHERE e.source = 'suppression_import' AND e.action = 'opt_out' AND e.channel = 'all'
       ORDER BY c.phone`.execute(db);
    expect(events.rows).toEqual([
      {
        phone: known,
        detail: `suppression list Litigators (${listId}), line 2`,
        suppression_list_id: listId,
      },
      {
        phone: '+14153012000',
        detail: `suppression list Litigators (${listId}), line 7`,
        suppression_list_id: listId,
      },
      {
        phone: '+14153012001',
        detail: `suppression list Litigators (${listId}), line 10`,
        suppression_list_id: listId,
      },
    ]);
    // A non-global list is scoped to the campaigns that honour it: nobody is opted out.
    const optedOut = await db
      .selectFrom('contacts')
      .select('phone')
      .where('opted_out_at', 'is not', null)
      .execute();
    expect(optedOut).toEqual([]);

    // The same numbers again add nothing and log nothing.
    const again = await uploadCsv(listId, `mobile;x\n${known};1\n+14153012000;2\n`);
    expect(again.json()).toMatchObject({ added: 0, already_listed: 2, rejected: [] });
    const listed = await inject('GET', '/v1/suppression-lists');
    expect(listed.json().suppression_lists).toEqual([
      expect.objectContaining({ id: 'global', global: true }),
      expect.objectContaining({ id: listId, entries: 3 }),
    ]);
    expect((await inject('GET', `/v1/suppression-lists/${listId}`)).json().entries).toBe(3);
  });

  it('answers bad input with a 4xx JSON error, never a 500', async () => {
    const { db } = stack.api.database;
    const audienceId = await seedAudience(db, [{ phone: phones(1, 1)[0] ?? '' }]);
    const base = {
      name: 'x',
      audience_id: audienceId,
      sms_pool_id: poolId,
      steps: [{ template: 'Hi' }],
    };
    const missing = '00000000-0000-4000-8000-000000000000';
    type Case = [Awaited<ReturnType<typeof inject>>, number, string];
    const cases: Case[] = [
      [await inject('POST', '/v1/suppression-lists', { name: '' }), 400, 'invalid_request'],
      [await inject('GET', `/v1/suppression-lists/${missing}`), 404, 'not_found'],
      [await inject('GET', '/v1/suppression-lists/nope'), 400, 'invalid_request'],
      [await uploadCsv(missing, 'phone\n+14155550100\n'), 404, 'not_found'],
      [await uploadCsv('global', 'name\nAnn\n'), 400, 'csv_no_phone_column'],
      [await uploadCsv('global', 'phone\n+1415\n', '?country=ZZ'), 400, 'invalid_country'],
      [
        await inject('POST', '/v1/campaigns', { ...base, suppression_list_ids: [missing] }),
        422,
        'unknown_suppression_list',
      ],
      [
        await inject('POST', '/v1/campaigns', { ...base, suppression_list_ids: ['not-a-list'] }),
        400,
        'invalid_request',
      ],
    ];
    const badCaps = [
      { max: -1, days: 7 },
      { max: 1.5, days: 7 },
      { max: 3, days: 0 },
      { max: 3 },
      { max: 3, days: 7, per: 'x' },
      'often',
    ];
    for (const cap of badCaps)
      cases.push([
        await inject('POST', '/v1/campaigns', { ...base, frequency_cap: cap }),
        400,
        'invalid_request',
      ]);
    for (const [response, status, code] of cases) {
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json().error.code, response.body).toBe(code);
    }
    // The global list is always there and cannot be named twice into trouble.
    const created = await inject('POST', '/v1/campaigns', {
      ...base,
      suppression_list_ids: ['global', 'GLOBAL'],
      frequency_cap: { max: 0, days: 1 },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      suppression_list_ids: ['global'],
      frequency_cap: { max: 0, days: 1 },
    });
  });

  it('skips numbers on the global list in a campaign that names no list', async () => {
    const { db } = stack.api.database;
    const audience = phones(2, 6);
    const [first, second] = audience;
    // One number listed before anyone had it as a contact, one that already is.
    await suppress('global', [first ?? '', '+14159990000']);
    const audienceId = await seedAudience(
      db,
      audience.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: ALWAYS,
    });
    expect((await getCampaign(stack.api, campaignId)).suppression_list_ids).toEqual(['global']);
    // Added while the campaign exists, before its rows are sent: it holds too.
    await suppress('global', [second ?? '']);
    await launch(stack.api, campaignId);
    const done = await waitForStatus(stack.api, campaignId, 'completed');
    expect(done.funnel.skipped_reasons).toEqual({ suppressed: 2 });
    expect(done.funnel.delivered).toBe(4);
    const { counts } = await ledgerCounts();
    expect(counts.has(first ?? '')).toBe(false);
    expect(counts.has(second ?? '')).toBe(false);
    for (const phone of audience.slice(2)) expect(counts.get(phone)).toBe(1);
    const rows = await messagesOf(campaignId);
    expect(
      rows
        .filter((row) => row.skip_reason === 'suppressed')
        .map((row) => row.to_phone)
        .sort(),
    ).toEqual([first, second].sort());
  });

  it('holds suppression and the cap across two campaigns launched together', async () => {
    const { db } = stack.api.database;
    const audience = phones(3, 40);
    const onListA = audience.slice(0, 4);
    const onGlobal = audience.slice(4, 6);
    // Contacts with their values first: a number listed before is a bare contact, which
    // seedAudience (unlike an audience import) would leave without a first_name.
    const audienceId = await seedAudience(
      db,
      audience.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const listA = await createList('Competitor staff');
    await suppress(listA, onListA);
    await suppress('global', onGlobal);
    const cap = { max: 1, days: 1 };
    const campaignA = await createCampaign(stack.api, {
      name: 'A',
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: ALWAYS,
      frequency_cap: cap,
      suppression_list_ids: [listA],
    });
    const campaignB = await createCampaign(stack.api, {
      name: 'B',
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: ALWAYS,
      frequency_cap: cap,
    });
    expect((await getCampaign(stack.api, campaignA)).suppression_list_ids).toEqual([
      'global',
      listA,
    ]);
    await Promise.all([launch(stack.api, campaignA), launch(stack.api, campaignB)]);

    // Every row has settled: sent, skipped, or waiting for the cap to open (a day from now).
    const settled = async (campaignId: string) => {
      const rows = await messagesOf(campaignId);
      const open = rows.filter(
        (row) =>
          !['delivered', 'skipped'].includes(row.status) &&
          !(row.status === 'pending' && row.wait_reason === 'frequency_cap'),
      );
      return rows.length === audience.length && open.length === 0 ? rows : undefined;
    };
    const rowsA = await waitFor('campaign A settled', () => settled(campaignA), 90_000);
    const rowsB = await waitFor('campaign B settled', () => settled(campaignB), 90_000);

    const { counts } = await ledgerCounts();
    for (const phone of onGlobal) expect(counts.has(phone), phone).toBe(false);
    // Nobody got more than the cap across both campaigns, and nobody eligible was dropped:
    // each was texted once, by one campaign, and waits in the other.
    const eligibleInBoth = audience.slice(6);
    const texted = (rows: typeof rowsA) => rows.filter((row) => row.status === 'delivered').length;
    expect(texted(rowsA) + texted(rowsB)).toBe(eligibleInBoth.length + onListA.length);
    for (const phone of eligibleInBoth) expect(counts.get(phone), phone).toBe(1);
    // On A's list only for A: B texts them (they had no other text), A skips them.
    for (const phone of onListA) {
      expect(counts.get(phone), phone).toBe(1);
      expect(rowsB.find((row) => row.to_phone === phone)?.status).toBe('delivered');
    }

    const reasonsOf = (rows: typeof rowsA, phone: string) =>
      rows.find((row) => row.to_phone === phone);
    for (const phone of onListA) expect(reasonsOf(rowsA, phone)?.skip_reason).toBe('suppressed');
    for (const phone of onGlobal) {
      expect(reasonsOf(rowsA, phone)?.skip_reason).toBe('suppressed');
      expect(reasonsOf(rowsB, phone)?.skip_reason).toBe('suppressed');
    }
    const capped = [...rowsA, ...rowsB].filter((row) => row.wait_reason === 'frequency_cap');
    expect(capped.length).toBe(eligibleInBoth.length);
    for (const row of capped) {
      expect(row.status).toBe('pending');
      expect(row.next_attempt_at?.getTime()).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);
    }

    const [viewA, viewB] = [
      await getCampaign(stack.api, campaignA),
      await getCampaign(stack.api, campaignB),
    ];
    const stillOpen: string[] = [];
    for (const [view, rows] of [
      [viewA, rowsA],
      [viewB, rowsB],
    ] as const) {
      const cappedHere = rows.filter((row) => row.wait_reason === 'frequency_cap').length;
      // Deferred rows keep their campaign open; one that texted everybody first ends.
      if (cappedHere > 0) {
        expect(view.status).toBe('running');
        stillOpen.push(view.id);
      } else await waitForStatus(stack.api, view.id, 'completed');
      expect(view.funnel.deferred).toBe(cappedHere);
      expect(view.funnel.waiting_reasons.frequency_cap?.count ?? 0).toBe(cappedHere);
      expect(view.frequency_cap).toEqual(cap);
    }
    expect(viewA.funnel.skipped_reasons).toEqual({ suppressed: onListA.length + onGlobal.length });
    expect(viewB.funnel.skipped_reasons).toEqual({ suppressed: onGlobal.length });
    const messages = await inject(
      'GET',
      `/v1/campaigns/${stillOpen[0] ?? campaignB}/messages?status=pending`,
    );
    const waiting = messages
      .json()
      .messages.filter((m: { wait_reason: string }) => m.wait_reason === 'frequency_cap');
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting[0].deferred_until).not.toBeNull();

    for (const id of stillOpen) {
      const cancelled = await inject('POST', `/v1/campaigns/${id}/cancel`);
      expect(cancelled.statusCode, cancelled.body).toBe(202);
    }
  });

  it('sends a capped text once the window has moved on', async () => {
    const { db } = stack.api.database;
    const audience = phones(4, 8);
    const windowSeconds = 6;
    const audienceId = await seedAudience(
      db,
      audience.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const cap = { max: 1, days: windowSeconds * SECOND_IN_DAYS };
    const ids = [];
    for (const name of ['first', 'second'])
      ids.push(
        await createCampaign(stack.api, {
          name,
          audience_id: audienceId,
          sms_pool_id: poolId,
          quiet_hours: ALWAYS,
          frequency_cap: cap,
        }),
      );
    await Promise.all(ids.map((id) => launch(stack.api, id)));
    for (const id of ids) {
      const done = await waitForStatus(stack.api, id, 'completed', 120_000);
      expect(done.funnel.delivered).toBe(audience.length);
    }
    const { entries } = await ledgerCounts();
    for (const phone of audience) {
      const times = entries
        .filter((entry) => entry.to === phone)
        .map((entry) => Date.parse(entry.at))
        .sort((a, b) => a - b);
      expect(times.length, phone).toBe(2);
      // The second left only once the first had been out of the window.
      expect((times[1] ?? 0) - (times[0] ?? 0), phone).toBeGreaterThanOrEqual(windowSeconds * 1000);
    }
    const deferred = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM message_attempts a JOIN messages m ON m.id = a.message_id
       WHERE m.campaign_id = ANY(${ids}::uuid[])`.execute(db);
    expect(deferred.rows[0]?.n).toBe(2 * audience.length);
  });

  it('lets one of two senders claiming the same contacts at once pass the cap, never both', async () => {
    const { db } = stack.api.database;
    const audience = phones(5, 30);
    const audienceId = await seedAudience(
      db,
      audience.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const sender = await db
      .selectFrom('sender_numbers')
      .select(['id', 'phone'])
      .where('pool_id', '=', poolId)
      .executeTakeFirstOrThrow();
    const cap = { max: 1, windowMs: 3_600_000 };
    const claimsOf = async (campaignId: string) => {
      const range = { after: null, upTo: '9223372036854775807' };
      await materializeRange(db, campaignId, audienceId, 0, range);
      const rows = await sendableInRange(db, { id: campaignId, audienceId }, 0, range, new Date());
      expect(rows).toHaveLength(audience.length);
      return rows.map((row) => ({
        row,
        claim: {
          row: { id: row.id, status: row.status, claimToken: row.claim_token },
          numberId: sender.id,
          fromPhone: sender.phone,
          body: 'Hi',
          segments: 1,
          leaseUntil: new Date(Date.now() + 60_000),
        },
      }));
    };
    const campaigns = [];
    for (const name of ['left', 'right'])
      campaigns.push(
        await createCampaign(stack.api, { name, audience_id: audienceId, sms_pool_id: poolId }),
      );
    const [left, right] = await Promise.all(campaigns.map(claimsOf));
    // Both read the contacts' history before either claims: without the per-contact lock,
    // both would count none and claim all.
    const [a, b] = await Promise.all(
      [left ?? [], right ?? []].map((claims) =>
        claimUnderCap(db, randomUUID(), claims, cap, () => new Date()),
      ),
    );
    expect((a?.claimed.size ?? 0) + (b?.claimed.size ?? 0)).toBe(audience.length);
    expect((a?.capped ?? 0) + (b?.capped ?? 0)).toBe(audience.length);
    const rows = await sql<{ status: string; wait_reason: string | null; n: number }>`
      SELECT m.status, m.wait_reason, count(DISTINCT m.contact_id)::int AS n FROM messages m
       WHERE m.campaign_id = ANY(${campaigns}::uuid[]) GROUP BY 1, 2 ORDER BY 1`.execute(db);
    expect(rows.rows).toEqual([
      { status: 'pending', wait_reason: 'frequency_cap', n: audience.length },
      { status: 'sending', wait_reason: null, n: audience.length },
    ]);
  });
});
