import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { usageDay } from './pool-selection-state.ts';
import type { Database } from './tables.ts';
import { PREPARED } from './prepared.ts';

/** The remembered sender of each of these contacts in the pool. */
export async function loadStickyNumbers(
  db: Kysely<Database>,
  poolId: string,
  contactIds: readonly string[],
): Promise<Map<string, string>> {
  if (contactIds.length === 0) return new Map();
  const rows = await sql<{ contact_id: string; number_id: string }>`${PREPARED}
    SELECT contact_id::text AS contact_id, number_id::text AS number_id FROM sticky_senders
     WHERE pool_id = ${poolId} AND contact_id = ANY(${[...new Set(contactIds)]}::bigint[])`.execute(
    db,
  );
  return new Map(rows.rows.map((row) => [row.contact_id, row.number_id]));
}

export interface StickyAssignment {
  contactId: string;
  numberId: string;
  /** The contact's previous sender when this is a move (recorded with `reason`). */
  fromNumberId: string | null;
  reason: string | null;
}

/** Upserts sticky senders and logs every move, in one statement. */
export async function storeStickyAssignments(
  db: Kysely<Database>,
  poolId: string,
  assignments: readonly StickyAssignment[],
  now: Date,
): Promise<void> {
  const byContact = new Map(assignments.map((a) => [a.contactId, a]));
  const list = [...byContact.values()];
  if (list.length === 0) return;
  const moves = list.filter((a) => a.reason !== null);
  await sql`${PREPARED}
    WITH upserted AS (
      INSERT INTO sticky_senders (pool_id, contact_id, number_id, assigned_at)
      SELECT ${poolId}::uuid, c, n, ${now}
        FROM unnest(${list.map((a) => a.contactId)}::bigint[], ${list.map((a) => a.numberId)}::bigint[]) AS v(c, n)
      ON CONFLICT (pool_id, contact_id)
        DO UPDATE SET number_id = EXCLUDED.number_id, assigned_at = EXCLUDED.assigned_at
    )
    INSERT INTO sticky_reassignments (pool_id, contact_id, from_number_id, to_number_id, reason, created_at)
    SELECT ${poolId}::uuid, c, f, t, r, ${now}
      FROM unnest(${moves.map((m) => m.contactId)}::bigint[], ${moves.map((m) => m.fromNumberId)}::bigint[],
                  ${moves.map((m) => m.numberId)}::bigint[], ${moves.map((m) => m.reason ?? '')}::text[])
        AS m(c, f, t, r)`.execute(db);
}

/** Adds today's new recipients per number (daily caps count unique new recipients per day). */
export async function countNewRecipients(
  db: Kysely<Database>,
  counts: ReadonlyMap<string, number>,
  now: Date,
): Promise<void> {
  if (counts.size === 0) return;
  await sql`${PREPARED}
    INSERT INTO sender_daily_usage (number_id, day, new_recipients)
    SELECT id, ${usageDay(now)}::date, n
      FROM unnest(${[...counts.keys()]}::bigint[], ${[...counts.values()]}::int[]) AS v(id, n)
    ON CONFLICT (number_id, day)
      DO UPDATE SET new_recipients = sender_daily_usage.new_recipients + EXCLUDED.new_recipients`.execute(
    db,
  );
}
