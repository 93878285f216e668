import { sql } from 'kysely';
import type { Db } from './connect.ts';
import { statusIs } from './status-sql.ts';
import { PREPARED } from './prepared.ts';

/**
 * When each contact's texts that count against the frequency cap left tandem (epoch ms):
 * messages of any campaign and step that went to the carrier at least once (the time of their
 * last request) since `since`, and those claimed by a sender right now (counted as `now`).
 * The rows being decided (`except`) are left out, so a retry is not held back by itself.
 */
export async function recentTexts(
  db: Db,
  contactIds: readonly string[],
  except: readonly string[],
  since: Date,
  now: Date,
): Promise<Map<string, number[]>> {
  if (contactIds.length === 0) return new Map();
  const result = await sql<{ contact_id: string; times: number[] }>`${PREPARED}
    SELECT m.contact_id::text AS contact_id,
           array_agg((extract(epoch FROM CASE WHEN ${statusIs('m.status', 'sending')} THEN ${now}::timestamptz
                                               ELSE a.last END) * 1000)::float8) AS times
      FROM messages m
      LEFT JOIN LATERAL (SELECT max(x.created_at) AS last FROM message_attempts x WHERE x.message_id = m.id) a ON true
     WHERE m.contact_id = ANY(${[...new Set(contactIds)]}::bigint[]) AND m.id <> ALL(${[...except]}::bigint[])
       AND (${statusIs('m.status', 'sending')} OR m.attempts > 0)
       AND (${statusIs('m.status', 'sending')} OR a.last > ${since}::timestamptz)
     GROUP BY m.contact_id`.execute(db);
  return new Map(result.rows.map((row) => [row.contact_id, row.times.map(Number)]));
}

/**
 * Serialises cap decisions per contact until the caller's transaction ends: two senders
 * (two campaigns) can then never both count a contact's texts before either has claimed.
 * Locks are taken in key order, so two such transactions never deadlock.
 */
export async function lockContactsForCap(trx: Db, contactIds: readonly string[]): Promise<void> {
  if (contactIds.length === 0) return;
  await sql`${PREPARED}
    SELECT pg_advisory_xact_lock(s.k) FROM (
      SELECT DISTINCT hashtextextended('tandem.frequency_cap:' || c::text, 0) AS k
        FROM unnest(${[...contactIds]}::bigint[]) AS c ORDER BY k) s`.execute(trx);
}
