import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.ts';
import { healthSettings } from '../../db/health-settings.ts';
import {
  reserveSenders,
  type SenderGrant,
  type SenderRequest,
} from '../../db/sender-reservations.ts';
import { reserveSlots as modelSlots } from '../../core/gcra.ts';
import { reserveSlots } from '../../db/sender-slots.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { seedContacts, seedPool, type SeededContact } from '../support/sender-pool-fixtures.ts';

/** The default health thresholds: these tests are about selection and slots. */
const options = { health: healthSettings(loadConfig({})) };

const request = (c: SeededContact, extra: Partial<SenderRequest> = {}): SenderRequest => ({
  contactId: c.id,
  toPhone: c.phone,
  areaCode: c.areaCode,
  region: c.region,
  segments: 1,
  ...extra,
});

function granted(grants: SenderGrant[]): Extract<SenderGrant, { ok: true }>[] {
  return grants.flatMap((g) => (g.ok ? [g] : []));
}

describe('reserveSenders', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('reserves in PostgreSQL exactly the slots the rate model gives, across successive batches', async () => {
    const { db } = database;
    const { ids } = await seedPool(db, {}, [
      { phone: '+13125550091', areaCode: '312', region: 'IL', mps: 7 },
    ]);
    const numberId = ids.get('+13125550091') ?? '';
    let modelNext = 0;
    let now = Date.parse('2031-01-01T00:00:00Z');
    for (const segments of [[1, 3, 2], [1], [4, 1, 1, 2]]) {
      now += 250;
      const stored = await reserveSlots(
        db,
        [{ numberId, sends: segments.map((k) => ({ segments: k, media: false })) }],
        new Map([[numberId, { mps: 7, mmsMps: null }]]),
        new Date(now),
        0.1,
      );
      const model = modelSlots(modelNext, 7, now, segments, 0.1);
      expect(stored.get(numberId)?.map((at) => at.getTime())).toEqual(model.sendAts);
      modelNext = model.nextSlotAt;
    }
  });

  it('prefers the local area code, then the state, spreads by weight and remembers senders', async () => {
    const { db } = database;
    const { poolId, ids } = await seedPool(db, {}, [
      { phone: '+14155550001', areaCode: '415', region: 'CA', mps: 100 },
      { phone: '+12125550001', areaCode: '212', region: 'NY', mps: 100, weight: 3 },
      { phone: '+17185550001', areaCode: '718', region: 'NY', mps: 100, weight: 1 },
    ]);
    const sf = await seedContacts(db, 5, '415', 'CA', 1);
    const buffalo = await seedContacts(db, 40, '716', 'NY', 100);
    const now = new Date('2030-01-01T12:00:00Z');
    const grants = await reserveSenders(
      db,
      poolId,
      [...sf, ...buffalo].map((c) => request(c)),
      now,
      options,
    );
    const ok = granted(grants);
    expect(ok).toHaveLength(45);
    for (const g of ok.slice(0, 5)) {
      expect(g).toMatchObject({ reason: 'area_code', numberId: ids.get('+14155550001') });
    }
    const ny = ok.slice(5);
    expect(ny.every((g) => g.reason === 'region')).toBe(true);
    expect(ny.filter((g) => g.numberId === ids.get('+12125550001'))).toHaveLength(30);
    expect(ny.filter((g) => g.numberId === ids.get('+17185550001'))).toHaveLength(10);

    // The same contacts later: same numbers, by stickiness.
    const again = granted(
      await reserveSenders(
        db,
        poolId,
        buffalo.map((c) => request(c)),
        now,
        options,
      ),
    );
    expect(again.every((g) => g.reason === 'sticky')).toBe(true);
    expect(again.map((g) => g.numberId)).toEqual(ny.map((g) => g.numberId));
  });

  it('spaces one number’s slots by segments / MPS, continuing across calls', async () => {
    const { db } = database;
    const { poolId } = await seedPool(db, { sticky_sender: false }, [
      { phone: '+14155550002', mps: 4 },
    ]);
    const contacts = await seedContacts(db, 6, '415', 'CA', 200);
    const now = new Date('2030-01-01T12:00:00Z');
    const first = granted(
      await reserveSenders(
        db,
        poolId,
        contacts.slice(0, 3).map((c, i) => request(c, { segments: i + 1 })),
        now,
        options,
      ),
    );
    expect(first.map((g) => g.sendAt.getTime() - now.getTime())).toEqual([0, 250, 750]);
    const second = granted(
      await reserveSenders(
        db,
        poolId,
        contacts.slice(3).map((c) => request(c)),
        now,
        options,
      ),
    );
    expect(second.map((g) => g.sendAt.getTime() - now.getTime())).toEqual([1500, 1750, 2000]);
    // After an idle gap, slots start from now again.
    const later = new Date(now.getTime() + 60_000);
    const third = granted(
      await reserveSenders(db, poolId, [request(contacts[0]!)], later, options),
    );
    expect(third[0]?.sendAt.getTime()).toBe(later.getTime());
  });

  it('checks explicit senders, exclusions, empty pools and unhealthy pools', async () => {
    const { db } = database;
    const [contact] = await seedContacts(db, 1, '415', 'CA', 300);
    if (contact === undefined) throw new Error('no contact');
    const { poolId, ids } = await seedPool(db, {}, [
      { phone: '+14155550003', areaCode: '415' },
      { phone: '+14155550004', areaCode: '415' },
    ]);
    const now = new Date('2030-01-01T12:00:00Z');
    const [explicit] = await reserveSenders(
      db,
      poolId,
      [request(contact, { fromNumber: '+14155550004' })],
      now,
      options,
    );
    expect(explicit).toMatchObject({ ok: true, reason: 'explicit', fromPhone: '+14155550004' });
    const [foreign] = await reserveSenders(
      db,
      poolId,
      [request(contact, { fromNumber: '+19995550000' })],
      now,
      options,
    );
    expect(foreign).toMatchObject({
      ok: false,
      code: 'from_number_not_owned',
      message: 'This API key does not own the specified from_number',
    });
    const [retry] = await reserveSenders(
      db,
      poolId,
      [request(contact, { excludeNumberIds: [ids.get('+14155550003') ?? ''] })],
      now,
      options,
    );
    expect(retry).toMatchObject({ ok: true, numberId: ids.get('+14155550004') });
    const [none] = await reserveSenders(
      db,
      poolId,
      [request(contact, { excludeNumberIds: [...ids.values()] })],
      now,
      options,
    );
    expect(none).toMatchObject({ ok: false, code: 'no_eligible_number' });

    const empty = await seedPool(db, {}, []);
    const [noNumbers] = await reserveSenders(db, empty.poolId, [request(contact)], now, options);
    expect(noNumbers).toMatchObject({ ok: false, code: 'no_numbers' });

    const sick = await seedPool(db, {}, [{ phone: '+14155550005', state: 'cooling' }]);
    // Real time: the seeded cool-down has only just begun.
    const [unhealthy] = await reserveSenders(
      db,
      sick.poolId,
      [request(contact)],
      new Date(),
      options,
    );
    expect(unhealthy).toMatchObject({ ok: false, code: 'all_unhealthy' });
    const tolerant = await seedPool(db, { skip_unhealthy: false }, [
      { phone: '+14155550006', state: 'cooling' },
    ]);
    const [fallback] = await reserveSenders(
      db,
      tolerant.poolId,
      [request(contact)],
      new Date(),
      options,
    );
    expect(fallback).toMatchObject({ ok: true, fromPhone: '+14155550006' });
  });

  it('skips a number at its daily cap for new contacts only, until the next day', async () => {
    const { db } = database;
    const { poolId, ids } = await seedPool(db, {}, [
      { phone: '+14155550007', kind: 'imessage', dailyCap: 2 },
    ]);
    const contacts = await seedContacts(db, 3, '415', 'CA', 400);
    const day1 = new Date('2030-01-01T12:00:00Z');
    const grants = await reserveSenders(
      db,
      poolId,
      contacts.map((c) => request(c)),
      day1,
      options,
    );
    expect(grants.map((g) => g.ok)).toEqual([true, true, false]);
    // Already-assigned contacts keep their number at the cap.
    const again = await reserveSenders(db, poolId, [request(contacts[0]!)], day1, options);
    expect(again[0]).toMatchObject({
      ok: true,
      reason: 'sticky',
      numberId: ids.get('+14155550007'),
    });
    const day2 = new Date('2030-01-02T00:00:01Z');
    const next = await reserveSenders(db, poolId, [request(contacts[2]!)], day2, options);
    expect(next[0]?.ok).toBe(true);
  });
});
