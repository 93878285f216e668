import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';

const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures', 'audiences');
const fixture = (name: string) => readFile(path.join(fixtures, name));

describe('POST /v1/audiences', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const upload = async (file: string, query = '') =>
    api.app.inject({
      method: 'POST',
      url: `/v1/audiences${query}`,
      headers: { ...api.auth, 'content-type': 'text/csv' },
      payload: await fixture(file),
    });

  const multipart = async (file: string, fields: Record<string, string> = {}) => {
    const boundary = 'tandemboundary';
    const parts = Object.entries(fields).map(
      ([key, value]) =>
        `--${boundary}\r\ncontent-disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`,
    );
    const payload = Buffer.concat([
      Buffer.from(parts.join('')),
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file}"\r\ncontent-type: text/csv\r\n\r\n`,
      ),
      await fixture(file),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return api.app.inject({
      method: 'POST',
      url: '/v1/audiences',
      headers: { ...api.auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
  };

  it('imports mixed formats as one contact, explains every rejected line (CRLF, blank and multi-line records)', async () => {
    const response = await upload('mixed.csv', '?name=Mixed');
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      name: 'Mixed',
      rows_read: 12,
      imported: 2,
      duplicates: 3,
      rejected: 7,
    });
    expect(body.columns).toEqual(['Phone Number', 'First Name', 'Note']);
    expect(body.first_rejections).toEqual([
      { line: 8, reason: 'emergency_or_service', value: '911' },
      { line: 9, reason: 'toll_free', value: '800-555-1234' },
      { line: 10, reason: 'premium_rate', value: '900 555 1234' },
      { line: 11, reason: 'too_short', value: '12345' },
      { line: 12, reason: 'invalid_for_country', value: '(123) 456-7890' },
      { line: 13, reason: 'unparseable', value: 'not a phone' },
      { line: 14, reason: 'missing', value: '' },
    ]);
    // This import's contacts (other tests of the file import theirs, in any order).
    const contacts = await api.database.db
      .selectFrom('contacts')
      .selectAll('contacts')
      .innerJoin('audience_members', 'audience_members.contact_id', 'contacts.id')
      .where('audience_members.audience_id', '=', body.id)
      .orderBy('phone')
      .execute();
    expect(contacts.map((c) => [c.phone, c.country, c.area_code, c.region, c.time_zone])).toEqual([
      ['+12125550199', 'US', '212', 'NY', 'America/New_York'],
      ['+14155550123', 'US', '415', 'CA', 'America/Los_Angeles'],
    ]);
    expect(contacts[1]?.attributes).toEqual({ first_name: 'Ann D', note: 'last wins' });

    const page = await api.app.inject({
      method: 'GET',
      url: `/v1/audiences/${body.id}/rejections?limit=5`,
      headers: api.auth,
    });
    expect(page.json().rejections.map((r: { line: number }) => r.line)).toEqual([8, 9, 10, 11, 12]);
    expect(page.json().next_after).toBe(12);
    const rest = await api.app.inject({
      method: 'GET',
      url: `/v1/audiences/${body.id}/rejections?limit=5&after=12`,
      headers: api.auth,
    });
    expect(rest.json()).toEqual({
      rejections: [
        { line: 13, reason: 'unparseable', value: 'not a phone' },
        { line: 14, reason: 'missing', value: '' },
      ],
      next_after: null,
    });
    const audience = await api.app.inject({
      method: 'GET',
      url: `/v1/audiences/${body.id}`,
      headers: api.auth,
    });
    expect(audience.json()).toMatchObject({
      id: body.id,
      rows_read: 12,
      imported: 2,
      duplicates: 3,
      rejected: 7,
    });
  });

  it('reads semicolons with a BOM and quoted delimiters, from a multipart form', async () => {
    const response = await multipart('semicolon-bom.csv', { name: 'Semis' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      name: 'Semis',
      rows_read: 3,
      imported: 2,
      duplicates: 0,
      rejected: 1,
    });
    expect(response.json().first_rejections).toEqual([
      { line: 5, reason: 'emergency_or_service', value: '988' },
    ]);
    const uk = await api.database.db
      .selectFrom('contacts')
      .selectAll()
      .where('phone', '=', '+442079460958')
      .executeTakeFirstOrThrow();
    expect(uk).toMatchObject({ country: 'GB', region: 'London', time_zone: 'Europe/London' });
    expect(uk.attributes).toEqual({ name: 'Kim', city: 'London' });
  });

  it('reads tab-separated files and a `cell` column', async () => {
    const response = await upload('tabs.tsv');
    expect(response.json()).toMatchObject({ rows_read: 2, imported: 2, rejected: 0 });
  });

  it('re-imports update attributes without duplicating, and opted-out contacts stay opted out', async () => {
    expect((await upload('tabs.tsv')).statusCode).toBe(201);
    await api.database.db
      .updateTable('contacts')
      .set({ opted_out_at: new Date('2026-01-01T00:00:00Z') })
      .where('phone', '=', '+12015550123')
      .execute();
    const response = await upload('custom-column.csv', '?phone_column=Contact');
    expect(response.json()).toMatchObject({
      rows_read: 1,
      imported: 1,
      duplicates: 0,
      rejected: 0,
    });
    const rows = await api.database.db
      .selectFrom('contacts')
      .selectAll()
      .where('phone', '=', '+12015550123')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.opted_out_at).not.toBeNull();
    expect(rows[0]?.attributes).toEqual({ plan: 'gold', name: 'Ann', opted_out: 'no' });
  });

  const uploadText = (csv: string) =>
    api.app.inject({
      method: 'POST',
      url: '/v1/audiences?name=large',
      headers: { ...api.auth, 'content-type': 'text/csv' },
      payload: csv,
    });
  const count = async (query: string) => {
    const result = await sql<{ n: string }>`${sql.raw(query)}`.execute(api.database.db);
    return Number(result.rows[0]?.n);
  };
  const membersOf = (audienceId: string) =>
    count(`SELECT count(*) AS n FROM audience_members WHERE audience_id = '${audienceId}'`);
  const contactsLike = (prefix: string) =>
    count(`SELECT count(*) AS n FROM contacts WHERE phone LIKE '${prefix}%'`);

  it('imports a file of many chunks: a phone repeated anywhere is one member, and its last line wins', async () => {
    const national = (i: number) => `731${String(2_000_000 + i)}`;
    const lines = ['phone,first_name'];
    for (let i = 0; i < 60_000; i++) {
      lines.push(`${national(i)},First${i}`);
      // A repeat inside the first chunk, after the line it repeats.
      if (i === 200) lines.push(`(731) 200-0150,Early`);
    }
    // Repeats far down the file, in other formats, for numbers of the first chunk.
    for (let i = 0; i < 100; i++) lines.push(`+1 ${national(i)},Late`);
    const response = await uploadText(`${lines.join('\n')}\n`);
    expect(response.statusCode, response.body).toBe(201);
    const audience = response.json();
    expect(audience).toMatchObject({
      rows_read: 60_101,
      imported: 60_000,
      duplicates: 101,
      rejected: 0,
    });
    expect(await membersOf(audience.id)).toBe(60_000);
    expect(await contactsLike('+1731')).toBe(60_000);
    const names = await api.database.db
      .selectFrom('contacts')
      .select(['phone', 'attributes'])
      .where('phone', 'in', ['+17312000000', '+17312000099', '+17312000100', '+17312000150'])
      .orderBy('phone')
      .execute();
    expect(names.map((row) => (row.attributes as { first_name: string }).first_name)).toEqual([
      'Late',
      'Late',
      'First100',
      'Early',
    ]);
    // The audience keeps the same values for its members (repeats in later chunks included).
    const members = await api.database.db
      .selectFrom('audience_members as am')
      .innerJoin('contacts as c', 'c.id', 'am.contact_id')
      .select(['c.phone', 'am.attributes'])
      .where('am.audience_id', '=', audience.id)
      .where('c.phone', 'in', ['+17312000000', '+17312000099', '+17312000100', '+17312000150'])
      .orderBy('c.phone')
      .execute();
    expect(members.map((row) => row.attributes?.first_name)).toEqual([
      'Late',
      'Late',
      'First100',
      'Early',
    ]);
  });

  it('merges a known contact found in a later chunk, after earlier chunks went in as new', async () => {
    const known = await uploadText('phone,plan\n(734) 203-0000,gold\n');
    expect(known.statusCode, known.body).toBe(201);
    const lines = ['phone,first_name'];
    for (let i = 0; i < 40_000; i++) lines.push(`734${String(2_000_000 + i)},First${i}`);
    const response = await uploadText(`${lines.join('\n')}\n`);
    expect(response.statusCode, response.body).toBe(201);
    const audience = response.json();
    expect(audience).toMatchObject({ rows_read: 40_000, imported: 40_000, duplicates: 0 });
    expect(await membersOf(audience.id)).toBe(40_000);
    expect(await contactsLike('+1734')).toBe(40_000);
    const contact = await api.database.db
      .selectFrom('contacts')
      .select('attributes')
      .where('phone', '=', '+17342030000')
      .executeTakeFirstOrThrow();
    expect(contact.attributes).toEqual({ plan: 'gold', first_name: 'First30000' });
    // This audience's own values: its row only, not the earlier upload's plan.
    const member = await api.database.db
      .selectFrom('audience_members as am')
      .innerJoin('contacts as c', 'c.id', 'am.contact_id')
      .select('am.attributes')
      .where('am.audience_id', '=', audience.id)
      .where('c.phone', '=', '+17342030000')
      .executeTakeFirstOrThrow();
    expect(member.attributes).toEqual({ first_name: 'First30000' });
  });

  it('leaves nothing behind when an upload fails after its first chunks are merged', async () => {
    const audiences = await count('SELECT count(*) AS n FROM audiences');
    const partitions = await count(
      `SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'audience_members'::regclass`,
    );
    const lines = ['phone,first_name'];
    for (let i = 0; i < 30_000; i++) lines.push(`732${String(2_000_000 + i)},Pat`);
    lines.push('"7325550000,unterminated');
    const response = await uploadText(`${lines.join('\n')}\n`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('csv_malformed');
    expect(await contactsLike('+1732')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM audiences')).toBe(audiences);
    expect(
      await count(
        `SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'audience_members'::regclass`,
      ),
    ).toBe(partitions);
  });

  it.each([
    ['latin1.csv', 'csv_not_utf8'],
    ['no-header.csv', 'csv_no_header'],
    ['no-phone.csv', 'csv_no_phone_column'],
  ])('refuses %s with a 400 %s and imports nothing', async (file, code) => {
    const before = await api.database.db
      .selectFrom('audiences')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const response = await upload(file);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe(code);
    const after = await api.database.db
      .selectFrom('audiences')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
