import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';

describe('pools API', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const post = (url: string, payload: unknown) =>
    api.app.inject({ method: 'POST', url, payload: payload as object, headers: api.auth });
  const get = (url: string) => api.app.inject({ method: 'GET', url, headers: api.auth });

  it('creates a Twilio pool, defaults MPS by kind and derives the area code and state', async () => {
    const created = await post('/v1/pools', {
      name: 'Sales SMS',
      provider: 'twilio',
      long_code_weight: 5,
      toll_free_weight: 1,
    });
    expect(created.statusCode).toBe(201);
    const pool = created.json();
    expect(pool).toMatchObject({ provider: 'twilio', sticky_sender: true, long_code_weight: 5 });

    const local = await post(`/v1/pools/${pool.id}/numbers`, { phone: '+14155550111' });
    expect(local.statusCode).toBe(201);
    expect(local.json()).toMatchObject({
      kind: 'long_code',
      mps: 1,
      area_code: '415',
      region: 'CA',
      state: 'active',
      daily_cap: null,
    });
    const tollFree = await post(`/v1/pools/${pool.id}/numbers`, {
      phone: '+18885550111',
      kind: 'toll_free',
    });
    expect(tollFree.json()).toMatchObject({ kind: 'toll_free', mps: 3, area_code: null });
    const short = await post(`/v1/pools/${pool.id}/numbers`, {
      phone: '55501',
      kind: 'short_code',
    });
    expect(short.json()).toMatchObject({ kind: 'short_code', mps: 100 });

    const detail = await get(`/v1/pools/${pool.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().numbers).toHaveLength(3);
    expect(detail.json().numbers[0].health).toMatchObject({ delivery_rate: null, samples: 0 });

    const list = await get('/v1/pools');
    const summary = list.json().pools.find((p: { id: string }) => p.id === pool.id);
    expect(summary.counts).toEqual({
      numbers: 3,
      active: 3,
      probation: 0,
      cooling: 0,
      retired: 0,
      misconfigured: 0,
      paused: 0,
    });
  });

  it('keeps one provider per pool and one pool per number', async () => {
    const twilio = (await post('/v1/pools', { name: 'SMS', provider: 'twilio' })).json();
    const blooio = (await post('/v1/pools', { name: 'Follow-up', provider: 'blooio' })).json();
    const line = await post(`/v1/pools/${blooio.id}/numbers`, { phone: '+14155550199' });
    expect(line.statusCode).toBe(201);
    expect(line.json()).toMatchObject({ kind: 'imessage', daily_cap: 50 });

    const mixed = await post(`/v1/pools/${blooio.id}/numbers`, {
      phone: '+14155550198',
      kind: 'long_code',
    });
    expect(mixed.statusCode).toBe(409);
    expect(mixed.json().error.code).toBe('provider_mismatch');
    expect(mixed.json().error.message).toMatch(/^Pool already owns Blooio numbers/);
    const mixedOther = await post(`/v1/pools/${twilio.id}/numbers`, {
      phone: '+14155550197',
      kind: 'imessage',
    });
    expect(mixedOther.json().error.message).toMatch(/^Pool already owns Twilio numbers/);

    const taken = await post(`/v1/pools/${twilio.id}/numbers`, {
      phone: '+14155550199',
      kind: 'long_code',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({
      code: 'number_taken',
      details: { pool_id: blooio.id },
    });
  });

  it('answers bad input with 4xx JSON errors, never 500', async () => {
    const cases = [
      await post('/v1/pools', { name: '', provider: 'twilio' }),
      await post('/v1/pools', { name: 'x', provider: 'telnyx' }),
      await post('/v1/pools', { name: 'x', provider: 'twilio', long_code_weight: -1 }),
      await post('/v1/pools', { name: 'x', provider: 'twilio', surprise: true }),
      await get('/v1/pools/not-a-uuid'),
      await post('/v1/pools/not-a-uuid/numbers', { phone: '+14155550100' }),
      await post('/v1/pools/00000000-0000-4000-8000-000000000000/numbers', {
        phone: '+14155550100',
      }),
      await get('/v1/pools/00000000-0000-4000-8000-000000000000'),
    ];
    const pool = (await post('/v1/pools', { name: 'Bad input', provider: 'twilio' })).json();
    cases.push(await post(`/v1/pools/${pool.id}/numbers`, { phone: '4155550100' }));
    cases.push(await post(`/v1/pools/${pool.id}/numbers`, { phone: '+14155550100', mps: 0 }));
    cases.push(await post(`/v1/pools/${pool.id}/numbers`, { phone: '+14155550100', kind: 'fax' }));
    cases.push(
      await api.app.inject({
        method: 'DELETE',
        url: `/v1/pools/${pool.id}/numbers/${encodeURIComponent('+19995550100')}`,
        headers: api.auth,
      }),
    );
    for (const response of cases) {
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, response.body).toBeLessThan(500);
      expect(response.json().error.code).toEqual(expect.any(String));
    }
  });
});
