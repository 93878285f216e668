import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthSettings } from '../../db/health-settings.ts';
import { recordOutcomes, refreshNumberStates } from '../../db/number-health.ts';
import { reserveSenders } from '../../db/sender-reservations.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { seedContacts } from '../support/sender-pool-fixtures.ts';

describe('sender health', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      HEALTH_MIN_SAMPLES: '10',
      HEALTH_COOLDOWN_SECONDS: '30',
      HEALTH_PROBATION_GOOD: '5',
    });
  });
  afterAll(async () => {
    await api.close();
  });

  it('cools a number whose messages carriers filter (30007), routes around it and shows why', async () => {
    const { db } = api.database;
    const settings = healthSettings(api.config);
    const post = (url: string, payload: object) =>
      api.app.inject({ method: 'POST', url, payload, headers: api.auth });
    const pool = (await post('/v1/pools', { name: 'Health', provider: 'twilio' })).json();
    const bad = (
      await post(`/v1/pools/${pool.id}/numbers`, { phone: '+14155552001', mps: 50 })
    ).json();
    const good = (
      await post(`/v1/pools/${pool.id}/numbers`, { phone: '+14155552002', mps: 50 })
    ).json();

    const contacts = await seedContacts(db, 20, '415', 'CA', 7000);
    const requests = contacts.map((c) => ({
      contactId: c.id,
      toPhone: c.phone,
      areaCode: c.areaCode,
      region: c.region,
      segments: 1,
    }));
    const t0 = new Date();
    const first = await reserveSenders(db, pool.id, requests, t0, { health: settings });
    const onBad = first.flatMap((g) => (g.ok && g.numberId === bad.id ? [g.contactId] : []));
    expect(onBad).toHaveLength(10);

    // Landlines and opted-out recipients never count against the sender...
    const recipientFaults = [30006, 30005, 21610, 21211].map((errorCode) => ({
      numberId: bad.id,
      status: 'undelivered',
      errorCode,
    }));
    expect(await recordOutcomes(db, recipientFaults, t0, settings)).toEqual([]);
    // ...carrier filtering does.
    const filtered = Array.from({ length: 9 }, () => ({
      numberId: bad.id,
      status: 'undelivered',
      errorCode: 30007,
    }));
    const delivered = Array.from({ length: 12 }, () => ({
      numberId: good.id,
      status: 'delivered',
      errorCode: null,
    }));
    const transitions = await recordOutcomes(
      db,
      [...filtered, { numberId: bad.id, status: 'delivered', errorCode: null }, ...delivered],
      t0,
      settings,
    );
    expect(transitions).toMatchObject([{ numberId: bad.id, from: 'active', to: 'cooling' }]);

    const later = new Date(t0.getTime() + 1000);
    const second = await reserveSenders(db, pool.id, requests, later, { health: settings });
    expect(second.every((g) => g.ok && g.numberId === good.id)).toBe(true);
    const moved = second.filter((g) => g.ok && g.reason === 'area_code');
    expect(moved.map((g) => g.contactId).sort()).toEqual([...onBad].sort());
    expect(second.filter((g) => g.ok && g.reason === 'sticky')).toHaveLength(10);

    const detail = (
      await api.app.inject({ method: 'GET', url: `/v1/pools/${pool.id}`, headers: api.auth })
    ).json();
    const badView = detail.numbers.find((n: { id: string }) => n.id === bad.id);
    expect(badView.state).toBe('cooling');
    expect(badView.cooling_until).toEqual(expect.any(String));
    expect(badView.health).toMatchObject({
      delivery_rate: 0.1,
      samples: 10,
      failures_by_code: { '30007': 9 },
    });
    expect(badView.recent_changes[0]).toMatchObject({ from: 'active', to: 'cooling', samples: 10 });
    expect(badView.recent_changes[0].reason).toMatch(
      /delivery rate 10%.*30007 Carrier filtering.*below 80%/,
    );
    expect(detail.recent_reassignments).toHaveLength(10);
    expect(detail.recent_reassignments[0].reason).toMatch(/\+14155552001 is cooling down/);

    // After the cool-down: probation at reduced weight, then active after clean deliveries.
    const afterCoolDown = new Date(t0.getTime() + 31_000);
    const refreshed = await refreshNumberStates(db, afterCoolDown, settings);
    expect(refreshed).toMatchObject([{ numberId: bad.id, from: 'cooling', to: 'probation' }]);
    const recovered = await recordOutcomes(
      db,
      Array.from({ length: 5 }, () => ({ numberId: bad.id, status: 'delivered', errorCode: null })),
      afterCoolDown,
      settings,
    );
    expect(recovered).toMatchObject([{ numberId: bad.id, from: 'probation', to: 'active' }]);
    const states = await db
      .selectFrom('sender_state_changes')
      .select(['to_state', 'reason'])
      .where('number_id', '=', bad.id)
      .orderBy('id')
      .execute();
    expect(states.map((s) => s.to_state)).toEqual(['cooling', 'probation', 'active']);
  });

  it('retiring a number moves its sticky contacts to the best other number', async () => {
    const { db } = api.database;
    const post = (url: string, payload: object) =>
      api.app.inject({ method: 'POST', url, payload, headers: api.auth });
    const pool = (await post('/v1/pools', { name: 'Retire', provider: 'twilio' })).json();
    const old = (await post(`/v1/pools/${pool.id}/numbers`, { phone: '+12125553001' })).json();
    await post(`/v1/pools/${pool.id}/numbers`, { phone: '+14155553002' });
    const nyLocal = (await post(`/v1/pools/${pool.id}/numbers`, { phone: '+17185553003' })).json();
    const contacts = await seedContacts(db, 4, '212', 'NY', 8000);
    const grants = await reserveSenders(
      db,
      pool.id,
      contacts.map((c) => ({
        contactId: c.id,
        toPhone: c.phone,
        areaCode: '212',
        region: 'NY',
        segments: 1,
      })),
      new Date(),
      { health: healthSettings(api.config) },
    );
    expect(grants.every((g) => g.ok && g.numberId === old.id)).toBe(true);

    const retired = await api.app.inject({
      method: 'DELETE',
      url: `/v1/pools/${pool.id}/numbers/${encodeURIComponent('+12125553001')}`,
      headers: api.auth,
    });
    expect(retired.statusCode).toBe(200);
    expect(retired.json()).toMatchObject({
      number: { state: 'retired' },
      moved_contacts: 4,
      unassigned_contacts: 0,
    });
    const sticky = await db
      .selectFrom('sticky_senders')
      .select('number_id')
      .where('pool_id', '=', pool.id)
      .execute();
    expect(sticky.every((s) => s.number_id === nyLocal.id)).toBe(true);
    const detail = (
      await api.app.inject({ method: 'GET', url: `/v1/pools/${pool.id}`, headers: api.auth })
    ).json();
    expect(detail.recent_reassignments[0]).toMatchObject({
      from_number_id: old.id,
      to_number_id: nyLocal.id,
    });
    expect(detail.numbers.at(-1)).toMatchObject({ phone: '+12125553001', state: 'retired' });

    // A retired number can come back.
    const again = await post(`/v1/pools/${pool.id}/numbers`, { phone: '+12125553001' });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ id: old.id, state: 'active' });
  });
});
