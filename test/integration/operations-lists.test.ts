import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createCampaign } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';

describe('operator lists', () => {
  let api: TestApi;
  let poolId: string;
  let audienceId: string;
  beforeAll(async () => {
    api = await startTestApi();
    poolId = await seedPool(api.database.db, [{ phone: '+14155550100' }]);
    audienceId = await seedAudience(
      api.database.db,
      contactPhones(7).map((phone, i) => ({
        phone,
        attributes: { first_name: i === 0 ? 'Ada' : `Sam${i}`, plan: i % 2 === 0 ? 'pro' : 'free' },
      })),
      ['first_name', 'plan'],
    );
  });
  afterAll(async () => {
    await api?.close();
  });

  const get = (url: string) => api.app.inject({ method: 'GET', url, headers: api.auth });

  /** Every row of a list, page by page, checking each page's size. */
  async function walk(url: string, key: string, limit: number): Promise<{ id: string }[]> {
    const rows: { id: string }[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const separator = url.includes('?') ? '&' : '?';
      const page = await get(
        `${url}${separator}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      expect(page.statusCode, page.body).toBe(200);
      const body = page.json();
      expect(body[key].length).toBeLessThanOrEqual(limit);
      rows.push(...body[key]);
      cursor = body.next_cursor;
      if (cursor === null) return rows;
      expect(body[key]).toHaveLength(limit);
    }
    throw new Error('more pages than expected');
  }

  describe('GET /v1/campaigns', () => {
    const ids: string[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 12; i += 1)
        ids.push(
          await createCampaign(api, {
            name: i === 3 ? 'Spring PROMO 100%' : `Campaign ${i}`,
            audience_id: audienceId,
            sms_pool_id: poolId,
          }),
        );
    });

    it('pages through every campaign newest first without a duplicate or a gap', async () => {
      const rows = await walk('/v1/campaigns', 'campaigns', 5);
      expect(rows.map((r) => r.id)).toEqual([...ids].reverse());
      expect(rows[0]).toMatchObject({
        status: 'draft',
        audience: { id: audienceId, name: 'seeded' },
        archived: false,
        progress: { targeted: 0, sent: 0, delivered: 0, failed: 0 },
      });
      const first = await get('/v1/campaigns');
      expect(first.json().campaigns).toHaveLength(12);
      expect(first.json().next_cursor).toBeNull();
    });

    it('filters by name (case-insensitive, % taken literally), status and creation time', async () => {
      const byName = await get('/v1/campaigns?q=promo%20100%25');
      expect(byName.json().campaigns.map((c: { id: string }) => c.id)).toEqual([ids[3]]);
      expect((await get('/v1/campaigns?q=0%25')).json().campaigns).toHaveLength(1);
      const drafts = await get('/v1/campaigns?status=draft,running&status=paused');
      expect(drafts.statusCode).toBe(200);
      expect(drafts.json().campaigns).toHaveLength(12);
      expect((await get('/v1/campaigns?status=running')).json().campaigns).toEqual([]);
      expect(
        (await get('/v1/campaigns?created_after=2000-01-01&created_before=2000-01-02')).json()
          .campaigns,
      ).toEqual([]);
      const future = new Date(Date.now() + 86_400_000).toISOString();
      expect(
        (await get(`/v1/campaigns?created_before=${future}&limit=500`)).json().campaigns,
      ).toHaveLength(12);
    });

    it('refuses bad filters and cursors with a 400', async () => {
      for (const url of [
        '/v1/campaigns?status=sleeping',
        '/v1/campaigns?limit=0',
        '/v1/campaigns?limit=501',
        '/v1/campaigns?limit=ten',
        '/v1/campaigns?created_after=yesterday',
        '/v1/campaigns?created_after=2026-02-31',
        '/v1/campaigns?cursor=garbage',
        `/v1/campaigns?q=${'x'.repeat(201)}`,
        '/v1/campaigns?archived=maybe',
        '/v1/campaigns?q=a%00b',
      ]) {
        const response = await get(url);
        expect(response.statusCode, url).toBe(400);
        expect(response.json().error.code, url).toMatch(
          /invalid_request|invalid_cursor|bad_request/,
        );
      }
      const contactsCursor = (await get('/v1/contacts?limit=1')).json().next_cursor;
      const crossed = await get(`/v1/campaigns?cursor=${contactsCursor}`);
      expect(crossed.statusCode).toBe(400);
      expect(crossed.json().error.code).toBe('invalid_cursor');
    });
  });

  describe('GET /v1/audiences', () => {
    it('lists audiences with counts and whether a campaign uses them, page by page', async () => {
      const extra: string[] = [];
      for (let i = 0; i < 3; i += 1)
        extra.push(await seedAudience(api.database.db, [{ phone: contactPhones(1, '212')[0]! }]));
      const rows = await walk('/v1/audiences', 'audiences', 2);
      expect(rows.map((r) => r.id).sort()).toEqual([audienceId, ...extra].sort());
      const used = rows.find((r) => r.id === audienceId);
      expect(used).toMatchObject({ in_use: true, campaigns: 12, rejected: 0 });
      expect(rows.find((r) => r.id === extra[0])).toMatchObject({ in_use: false, campaigns: 0 });
    });
  });

  describe('GET /v1/contacts', () => {
    it('pages through every contact without a duplicate or a gap', async () => {
      const rows = await walk('/v1/contacts', 'contacts', 3);
      const ids = rows.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThanOrEqual(7);
      expect(ids).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
    });

    it('searches by phone digits or name, and filters by attribute and audience', async () => {
      const phones = contactPhones(7);
      const byPhone = await get(`/v1/contacts?q=${encodeURIComponent(phones[4]!.slice(5))}`);
      expect(byPhone.json().contacts.map((c: { phone: string }) => c.phone)).toEqual([phones[4]]);
      const byName = await get('/v1/contacts?q=aDa');
      expect(byName.json().contacts.map((c: { phone: string }) => c.phone)).toEqual([phones[0]]);
      const pro = await get(`/v1/contacts?attribute=plan:pro&audience_id=${audienceId}`);
      expect(pro.json().contacts).toHaveLength(4);
      const both = await get('/v1/contacts?attribute=plan:pro&attribute=first_name:Ada');
      expect(both.json().contacts).toHaveLength(1);
      const other = await seedAudience(api.database.db, [{ phone: '+12125550199' }]);
      const members = await get(`/v1/contacts?audience_id=${other}`);
      expect(members.json().contacts.map((c: { phone: string }) => c.phone)).toEqual([
        '+12125550199',
      ]);
    });

    it('refuses bad filters with a 400', async () => {
      for (const url of [
        '/v1/contacts?attribute=plan',
        '/v1/contacts?attribute=pl%20an:pro',
        '/v1/contacts?audience_id=42',
        `/v1/contacts?q=${'a'.repeat(101)}`,
        '/v1/contacts?cursor=bDEuY29udGFjdHMuLmFiYw',
      ]) {
        const response = await get(url);
        expect(response.statusCode, url).toBe(400);
      }
    });
  });

  describe('GET /v1/contacts/:idOrPhone', () => {
    it('shows consent, sticky numbers and every campaign message, paged', async () => {
      const { db } = api.database;
      const phone = contactPhones(7)[1]!;
      const contact = await db
        .selectFrom('contacts')
        .select('id')
        .where('phone', '=', phone)
        .executeTakeFirstOrThrow();
      const number = await db
        .selectFrom('sender_numbers')
        .select('id')
        .where('pool_id', '=', poolId)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('sticky_senders')
        .values({
          pool_id: poolId,
          contact_id: contact.id,
          number_id: number.id,
          assigned_at: new Date(),
        })
        .execute();
      const campaigns = await db.selectFrom('campaigns').select(['id']).limit(3).execute();
      await db
        .insertInto('messages')
        .values(
          campaigns.map((c) => ({
            campaign_id: c.id,
            step: 0,
            contact_id: contact.id,
            to_phone: phone,
            from_number_id: null,
            from_phone: null,
            body: 'Hi',
            segments: 1,
            provider_sid: null,
            error_code: null,
            skip_reason: null,
            next_attempt_at: null,
            claim_token: null,
            carrier_absent_at: null,
            sent_at: null,
            final_at: null,
          })),
        )
        .execute();
      const optOut = await api.app.inject({
        method: 'POST',
        url: `/v1/contacts/${encodeURIComponent(phone)}/opt-out`,
        headers: api.auth,
        payload: { reason: 'asked by phone' },
      });
      expect(optOut.statusCode, optOut.body).toBeLessThan(300);

      const first = await get(`/v1/contacts/${encodeURIComponent(phone)}?messages_limit=2`);
      expect(first.statusCode, first.body).toBe(200);
      const profile = first.json();
      expect(profile).toMatchObject({
        id: contact.id,
        attributes: { plan: 'free' },
        consent: { opted_out: true, last_event: { action: 'opt_out', reason: 'asked by phone' } },
        sticky_sms_numbers: [{ pool_id: poolId, phone: '+14155550100', state: 'active' }],
        imessage_line: null,
      });
      expect(profile.messages).toHaveLength(2);
      const rest = await get(
        `/v1/contacts/${contact.id}?messages_limit=2&messages_cursor=${profile.messages_next_cursor}`,
      );
      expect(rest.json().messages).toHaveLength(1);
      expect(rest.json().messages_next_cursor).toBeNull();
      const all = [...profile.messages, ...rest.json().messages].map(
        (m: { campaign_id: string }) => m.campaign_id,
      );
      expect(all.sort()).toEqual(campaigns.map((c) => c.id).sort());

      expect((await get('/v1/contacts/99999999')).statusCode).toBe(404);
      expect((await get(`/v1/contacts/${contact.id}?messages_limit=0`)).statusCode).toBe(400);
      expect((await get(`/v1/contacts/${contact.id}?messages_cursor=x`)).statusCode).toBe(400);
    });
  });
});
