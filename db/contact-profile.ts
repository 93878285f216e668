import { sql } from 'kysely';
import type { Db } from './connect.ts';

export interface ContactProfile {
  contact: {
    id: string;
    phone: string;
    country: string;
    area_code: string | null;
    region: string | null;
    time_zone: string | null;
    /** The latest values: every upload merges its row's in, the newest key wins. */
    attributes: Record<string, string>;
    opted_out_at: Date | null;
    created_at: Date;
  };
  /** Each audience the contact is in, oldest first, with the values its campaigns render. */
  audiences: {
    id: string;
    name: string;
    created_at: Date;
    attributes: Record<string, string>;
    /** False: the membership has no values of its own, so the contact's apply. */
    own_values: boolean;
  }[];
}

/** A contact's global values and, per audience, that audience's values. */
export async function contactProfile(
  db: Db,
  contact: { id: string } | { phone: string },
): Promise<ContactProfile | undefined> {
  const found = await db
    .selectFrom('contacts')
    .select(['id', 'phone', 'country', 'area_code', 'region', 'time_zone', 'attributes'])
    .select(['opted_out_at', 'created_at'])
    .$if('id' in contact, (q) => q.where('id', '=', 'id' in contact ? contact.id : '0'))
    .$if('phone' in contact, (q) => q.where('phone', '=', 'phone' in contact ? contact.phone : ''))
    .executeTakeFirst();
  if (found === undefined) return undefined;
  // One primary-key probe per audience (its partition is pruned at run time): the members'
  // key leads with the audience, so a scan by contact alone would read every partition.
  const audiences = await sql<ContactProfile['audiences'][number]>`
    SELECT a.id, a.name, a.created_at, COALESCE(m.attributes, ${JSON.stringify(found.attributes)}::jsonb) AS attributes,
           m.attributes IS NOT NULL AS own_values
      FROM audiences a
      CROSS JOIN LATERAL (SELECT am.attributes FROM audience_members am
                           WHERE am.audience_id = a.id AND am.contact_id = ${found.id}) m
     ORDER BY a.created_at, a.id`.execute(db);
  return { contact: found, audiences: audiences.rows };
}
