import type { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { createMemberPartition } from '../../db/audience-members.ts';
import { DAYTIME_ZONE } from './zones.ts';

export interface SeedContact {
  phone: string;
  areaCode?: string;
  region?: string;
  timeZone?: string;
  attributes?: Record<string, string>;
  optedOut?: boolean;
}

/**
 * Writes an audience straight into the tables (the CSV path has its own tests). Contacts are in
 * a zone where it is early afternoon unless told otherwise, so the legal floor lets them be
 * texted at once.
 */
export async function seedAudience(
  db: Db,
  contacts: readonly SeedContact[],
  columns: string[] = ['first_name'],
): Promise<string> {
  const audience = await db
    .insertInto('audiences')
    .values({ name: 'seeded', columns })
    .returning('id')
    .executeTakeFirstOrThrow();
  await createMemberPartition(db, audience.id);
  for (let start = 0; start < contacts.length; start += 1000) {
    const chunk = contacts.slice(start, start + 1000);
    const inserted = await db
      .insertInto('contacts')
      .values(
        chunk.map((c) => ({
          phone: c.phone,
          country: 'US',
          area_code: c.areaCode ?? c.phone.slice(2, 5),
          region: c.region ?? 'CA',
          time_zone: c.timeZone ?? DAYTIME_ZONE,
          attributes: JSON.stringify(c.attributes ?? { first_name: 'Sam' }),
          opted_out_at: c.optedOut === true ? new Date() : null,
        })),
      )
      .onConflict((oc) => oc.column('phone').doUpdateSet({ updated_at: new Date() }))
      .returning('id')
      .execute();
    await db
      .insertInto('audience_members')
      .values(inserted.map((row) => ({ audience_id: audience.id, contact_id: row.id })))
      .execute();
  }
  return audience.id;
}

export async function seedPool(
  db: Db,
  numbers: readonly {
    phone: string;
    mps?: number;
    kind?: 'long_code' | 'toll_free' | 'short_code';
  }[],
  options: { provider?: 'twilio' | 'blooio'; name?: string } = {},
): Promise<string> {
  const pool = await db
    .insertInto('pools')
    .values({ name: options.name ?? 'test pool', provider: options.provider ?? 'twilio' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('sender_numbers')
    .values(
      numbers.map((n) => ({
        pool_id: pool.id,
        phone: n.phone,
        kind: n.kind ?? (options.provider === 'blooio' ? 'imessage' : 'long_code'),
        mps: n.mps ?? 10,
        daily_cap: null,
        area_code: n.phone.slice(2, 5),
        region: null,
        next_slot_at: new Date(0),
      })),
    )
    .execute();
  return pool.id;
}

export const phoneFor = (i: number, areaCode = '415') =>
  `+1${areaCode}555${String(i).padStart(4, '0')}`;

/** Contacts in 415 with distinct valid-looking numbers: +1 415 2xx xxxx. */
export function contactPhones(count: number, areaCode = '415'): string[] {
  return Array.from(
    { length: count },
    (_, i) => `+1${areaCode}${String(2000000 + i).padStart(7, '0')}`,
  );
}

export async function countRows(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const result = await query.execute(db);
  const row = result.rows[0];
  return typeof row === 'object' && row !== null && 'n' in row ? Number(row.n) : 0;
}
