import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio.ts';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN } from '../../config/env.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { parseDatePeriod } from '../../sandbox/twilio/date-filter.ts';

const FROM = '+14155550001';
const OTHER = '+14155550002';
const ALICE = '+14155550100';
const BOB = '+14155550200';

// Dates without a zone are GMT whatever the server's zone: run in one far from it.
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'America/Denver';
  expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(420);
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const iso = (value: string) => {
  const period = parseDatePeriod(value);
  return period && [new Date(period.start).toISOString(), new Date(period.end).toISOString()];
};

describe('DateSent values', () => {
  it.each([
    ['2008-01-02', '2008-01-02T00:00:00.000Z', '2008-01-02T23:59:59.999Z'],
    ['2024-03-10T15:00:00Z', '2024-03-10T15:00:00.000Z', '2024-03-10T15:00:00.999Z'],
    ['2019-06-11 22:05:25.000', '2019-06-11T22:05:25.000Z', '2019-06-11T22:05:25.000Z'],
    ['06/11/2019 22:05:25 MST', '2019-06-12T05:05:25.000Z', '2019-06-12T05:05:25.999Z'],
    ['06/11/2019 22:05:25', '2019-06-11T22:05:25.000Z', '2019-06-11T22:05:25.999Z'],
    ['Wed, 19 Jun 2019 22:04:00 -0000', '2019-06-19T22:04:00.000Z', '2019-06-19T22:04:00.999Z'],
    ['2020-12-12T10:53:43-08:00', '2020-12-12T18:53:43.000Z', '2020-12-12T18:53:43.999Z'],
    ['2020-12-12T10:53:43.000-0800', '2020-12-12T18:53:43.000Z', '2020-12-12T18:53:43.000Z'],
    // A `+` sent unencoded in a query string arrives as a space.
    ['2020-12-12T10:53:43 08:00', '2020-12-12T02:53:43.000Z', '2020-12-12T02:53:43.999Z'],
    ['2020-12', '2020-12-01T00:00:00.000Z', '2020-12-31T23:59:59.999Z'],
    ['2020', '2020-01-01T00:00:00.000Z', '2020-12-31T23:59:59.999Z'],
  ])('%s is read in GMT', (value, start, end) => {
    expect(iso(value)).toEqual([start, end]);
  });

  it.each(['>=2019-08-08', 'yesterday', '2019-02-30', '2019-13-01', '12', 'x 1'])(
    '%s is not a date',
    (value) => {
      expect(parseDatePeriod(value)).toBeNull();
    },
  );
});

describe('sandbox: Messages list filters, as Twilio documents them and the SDK sends them', () => {
  let sandbox: RunningSandbox;
  let client: TwilioClient;
  const sids: Record<string, string> = {};
  const auth = `Basic ${Buffer.from(`${SANDBOX_ACCOUNT_SID}:${SANDBOX_AUTH_TOKEN}`).toString('base64')}`;
  const listPath = `/2010-04-01/Accounts/${SANDBOX_ACCOUNT_SID}/Messages.json`;
  /** The list as raw HTTP with a query string written by hand (not re-encoded). */
  const rawList = async (query: string) => {
    const response = await fetch(`${sandbox.url}${listPath}?${query}`, {
      headers: { Authorization: auth },
    });
    const body = (await response.json()) as { messages?: { sid: string }[] };
    return { status: response.status, body, names: (body.messages ?? []).map(nameOf) };
  };
  const nameOf = ({ sid }: { sid: string }) =>
    Object.keys(sids).find((name) => sids[name] === sid) ?? sid;
  const names = (messages: readonly { sid: string }[]) => messages.map(nameOf);

  beforeAll(async () => {
    sandbox = await startSandbox({
      config: {
        numbers: [
          { phoneNumber: FROM, mps: 100 },
          { phoneNumber: OTHER, mps: 100 },
        ],
      },
    });
    client = createTwilioClient({
      TWILIO_ACCOUNT_SID: SANDBOX_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: SANDBOX_AUTH_TOKEN,
      TWILIO_API_KEY_SID: undefined,
      TWILIO_API_KEY_SECRET: undefined,
      twilioBaseUrl: sandbox.url,
    });
    // Messages at chosen instants: only Date is faked, the sandbox's timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    const send = async (name: string, at: string, from: string, to: string) => {
      vi.setSystemTime(new Date(at));
      sids[name] = (await client.messages.create({ from, to, body: name })).sid;
    };
    await send('m1', '2024-03-09T23:59:59.400Z', FROM, ALICE);
    await send('m2', '2024-03-10T00:00:00.600Z', FROM, BOB);
    await send('m3', '2024-03-10T12:30:15.250Z', OTHER, ALICE);
    await send('m4', '2024-03-11T08:00:00.000Z', FROM, ALICE);
    // Created by a fault that answers 500 after accepting: it is listed like any other.
    vi.setSystemTime(new Date('2024-03-11T09:00:00.000Z'));
    sandbox.configure({ faults: { twilio: [{ kind: 'http_500_after_accept' }] } });
    await expect(
      client.messages.create({ from: OTHER, to: BOB, body: 'm5' }),
    ).rejects.toMatchObject({ status: 500 });
    sandbox.configure({ faults: { twilio: [] } });
    vi.useRealTimers();
    const [faulted] = sandbox.ledger({ from: OTHER, to: BOB }).entries;
    sids.m5 = faulted?.sid ?? '';
  });
  afterAll(() => sandbox.close());

  it('lists newest first; To and From filter exactly', async () => {
    expect(names(await client.messages.list())).toEqual(['m5', 'm4', 'm3', 'm2', 'm1']);
    expect(names(await client.messages.list({ to: ALICE }))).toEqual(['m4', 'm3', 'm1']);
    expect(names(await client.messages.list({ from: OTHER }))).toEqual(['m5', 'm3']);
    expect(names(await client.messages.list({ from: FROM, to: BOB }))).toEqual(['m2']);
    expect(await client.messages.list({ to: '+14155550999' })).toEqual([]);
  });

  it('reads To and From like phone numbers: national form, or a + that arrived as a space', async () => {
    expect((await rawList('To=4155550100')).names).toEqual(['m4', 'm3', 'm1']);
    expect((await rawList('To=+14155550100&From=+14155550002')).names).toEqual(['m3']);
    expect((await rawList('From=%2B14155550001&To=%2B14155550200')).names).toEqual(['m2']);
  });

  it('dateSent (DateSent=) matches the whole GMT day, from the date the SDK sends', async () => {
    const day = await client.messages.list({ dateSent: new Date('2024-03-10T15:00:00Z') });
    expect(names(day)).toEqual(['m3', 'm2']);
    expect((await rawList('DateSent=2024-03-10')).names).toEqual(['m3', 'm2']);
    expect((await rawList('DateSent=2024-03-09')).names).toEqual(['m1']);
    expect((await rawList('DateSent=2024-03-12')).names).toEqual([]);
  });

  it('dateSentBefore / dateSentAfter (DateSent< / DateSent>) include their bound', async () => {
    const midnight = new Date('2024-03-10T00:00:00Z');
    // m2 was sent at 00:00:00.600: its date_sent reads 00:00:00, on the bound.
    expect(names(await client.messages.list({ dateSentBefore: midnight }))).toEqual(['m2', 'm1']);
    expect(names(await client.messages.list({ dateSentAfter: midnight }))).toEqual([
      'm5',
      'm4',
      'm3',
      'm2',
    ]);
    const window = { dateSentAfter: midnight, dateSentBefore: new Date('2024-03-11T08:00:00Z') };
    expect(names(await client.messages.list(window))).toEqual(['m4', 'm3', 'm2']);
    // A day bound covers the whole day: on or before 2024-03-10 ends at its last second.
    expect((await rawList('DateSent%3C=2024-03-10')).names).toEqual(['m3', 'm2', 'm1']);
    // Written as Twilio's documents do, unencoded: the key is `DateSent>`, the value the date.
    expect((await rawList('DateSent>=2024-03-11')).names).toEqual(['m5', 'm4']);
  });

  it('a message is found again by its own date_sent, read back through the SDK', async () => {
    const m3 = await client.messages(sids.m3 ?? '').fetch();
    expect(m3.dateSent.toISOString()).toBe('2024-03-10T12:30:15.000Z');
    const exact = { dateSentAfter: m3.dateSent, dateSentBefore: m3.dateSent };
    expect(names(await client.messages.list(exact))).toEqual(['m3']);
    const later = new Date(m3.dateSent.getTime() + 1_000);
    expect(names(await client.messages.list({ dateSentAfter: later }))).toEqual(['m5', 'm4']);
  });

  it.each([
    ['Sun, 10 Mar 2024 12:30:15 -0000'],
    ['03/10/2024 05:30:15 MST'],
    ['2024-03-10 12:30:15.000'],
    ['2024-03-10T05:30:15-07:00'],
  ])('accepts the other date forms Twilio does: DateSent>=%s', async (value) => {
    const { names: found } = await rawList(`DateSent%3E=${encodeURIComponent(value)}`);
    expect(found).toEqual(['m5', 'm4', 'm3']);
  });

  it('combines filters, and pages keep them', async () => {
    expect(
      names(await client.messages.list({ to: ALICE, dateSentAfter: new Date('2024-03-10') })),
    ).toEqual(['m4', 'm3']);
    const paged = await client.messages.list({
      from: FROM,
      dateSentAfter: new Date('2024-03-09T00:00:00Z'),
      pageSize: 1,
    });
    expect(names(paged)).toEqual(['m4', 'm2', 'm1']);
    const first = await rawList('From=%2B14155550001&DateSent%3E=2024-03-10&PageSize=1');
    expect(first.names).toEqual(['m4']);
    const next = String((first.body as { next_page_uri?: string }).next_page_uri);
    expect(next).toContain('From=%2B14155550001');
    expect(next).toContain('DateSent%3E=2024-03-10');
    const second = await fetch(`${sandbox.url}${next}`, { headers: { Authorization: auth } });
    const secondBody = (await second.json()) as { messages: { sid: string }[] };
    expect(names(secondBody.messages)).toEqual(['m2']);
  });

  it('ignores an empty date and refuses an unreadable one with 400/20001', async () => {
    expect((await rawList('DateSent=')).names).toHaveLength(5);
    const refused = await rawList(`DateSent%3E=${encodeURIComponent('>=2024-03-10')}`);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      code: 20001,
      message: 'Invalid date value.',
      more_info: 'https://www.twilio.com/docs/errors/20001',
      status: 400,
    });
    expect((await rawList('DateSent%3C=tomorrow')).status).toBe(400);
  });
});
