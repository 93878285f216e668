import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { NewPool, NumberKind, NumberState } from '../../db/tables.ts';

export interface NumberSpec {
  phone: string;
  kind?: NumberKind;
  weight?: number;
  mps?: number;
  dailyCap?: number | null;
  areaCode?: string | null;
  region?: string | null;
  state?: NumberState;
  nextSlotAt?: Date;
}

/** A pool and its numbers straight in the database; returns ids by phone. */
export async function seedPool(
  db: Db,
  pool: Partial<NewPool>,
  numbers: readonly NumberSpec[],
): Promise<{ poolId: string; ids: Map<string, string>; phones: Map<string, string> }> {
  const created = await db
    .insertInto('pools')
    .values({ name: 'test pool', provider: 'twilio', ...pool })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (numbers.length === 0) return { poolId: created.id, ids: new Map(), phones: new Map() };
  const rows = await db
    .insertInto('sender_numbers')
    .values(
      numbers.map((n) => ({
        pool_id: created.id,
        phone: n.phone,
        kind: n.kind ?? 'long_code',
        weight: n.weight ?? 1,
        mps: n.mps ?? 1,
        daily_cap: n.dailyCap ?? null,
        area_code: n.areaCode ?? null,
        region: n.region ?? null,
        state: n.state ?? 'active',
        ...(n.nextSlotAt === undefined ? {} : { next_slot_at: n.nextSlotAt }),
      })),
    )
    .returning(['id', 'phone'])
    .execute();
  return {
    poolId: created.id,
    ids: new Map(rows.map((r) => [r.phone, r.id])),
    phones: new Map(rows.map((r) => [r.id, r.phone])),
  };
}

export interface SeededContact {
  id: string;
  phone: string;
  areaCode: string | null;
  region: string | null;
}

/** `count` contacts with phones +1<area><7 digits from `start`>. */
export async function seedContacts(
  db: Db,
  count: number,
  areaCode: string | null,
  region: string | null,
  start = 1_000_000,
): Promise<SeededContact[]> {
  const prefix = areaCode ?? '999';
  const rows = await sql<{ id: string; phone: string }>`
    INSERT INTO contacts (phone, country, area_code, region)
    SELECT '+1' || ${prefix} || lpad((${start} + g)::text, 7, '0'), 'US', ${areaCode}, ${region}
      FROM generate_series(0, ${count - 1}) AS g
    ON CONFLICT (phone) DO UPDATE SET area_code = EXCLUDED.area_code
    RETURNING id::text AS id, phone`.execute(db);
  return rows.rows.map((r) => ({ ...r, areaCode, region }));
}
