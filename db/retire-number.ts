import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { selectSenders } from '../core/sender-selection.ts';
import { loadPoolNumbers, lockPoolSelection, saveWrrState } from './pool-selection-state.ts';
import { findLiveNumber, markRetired } from './pools.ts';
import { countNewRecipients, storeStickyAssignments } from './sender-assignments.ts';
import type { SenderNumber, Database } from './tables.ts';
import { inTransaction } from './transaction.ts';

export type RetireResult =
  | { ok: true; number: SenderNumber; moved: number; unassigned: number }
  | { ok: false; code: 'not_found' };

interface StuckContact {
  contact_id: string;
  area_code: string | null;
  region: string | null;
}

/**
 * Retires a number and moves each of its sticky contacts to the best other number of the
 * pool (geomatch and weights, as a new send would choose), recording every move. Contacts
 * no number can take (all capped or unhealthy) lose their assignment and get one at their
 * next send.
 */
export async function retireNumber(
  db: Kysely<Database>,
  poolId: string,
  phone: string,
  now: Date,
): Promise<RetireResult> {
  return inTransaction(db, async (trx) => {
    const locked = await lockPoolSelection(trx, poolId, now);
    const number = locked === null ? undefined : await findLiveNumber(trx, poolId, phone);
    if (locked === null || number === undefined) return { ok: false, code: 'not_found' };
    await sql`SELECT 1 FROM sender_numbers WHERE id = ${number.id} FOR UPDATE`.execute(trx);
    await markRetired(trx, number, 'retired through the API', now);

    const contacts = await sql<StuckContact>`
      SELECT s.contact_id::text AS contact_id, c.area_code, c.region
        FROM sticky_senders s JOIN contacts c ON c.id = s.contact_id
       WHERE s.pool_id = ${poolId} AND s.number_id = ${number.id}
       ORDER BY s.contact_id`.execute(trx);
    const retired: SenderNumber = {
      ...number,
      state: 'retired',
      state_changed_at: now,
      cooling_until: null,
    };
    if (contacts.rows.length === 0) return { ok: true, number: retired, moved: 0, unassigned: 0 };

    const numbers = await loadPoolNumbers(trx, poolId, now);
    const selection = selectSenders(
      locked.pool,
      numbers,
      contacts.rows.map((c) => ({
        contactId: c.contact_id,
        areaCode: c.area_code,
        region: c.region,
      })),
      locked.wrr,
    );
    const reason = `previous sender ${number.phone} retired`;
    const moves = selection.results.flatMap((r) =>
      r.ok
        ? [{ contactId: r.contactId, numberId: r.numberId, fromNumberId: number.id, reason }]
        : [],
    );
    const stranded = selection.results.flatMap((r) => (r.ok ? [] : [r.contactId]));
    const counts = new Map<string, number>();
    for (const move of moves) counts.set(move.numberId, (counts.get(move.numberId) ?? 0) + 1);
    await storeStickyAssignments(trx, poolId, moves, now);
    await countNewRecipients(trx, counts, now);
    await saveWrrState(trx, poolId, selection.state);
    if (stranded.length > 0) {
      await sql`
        WITH gone AS (
          DELETE FROM sticky_senders
           WHERE pool_id = ${poolId} AND contact_id = ANY(${stranded}::bigint[])
          RETURNING contact_id
        )
        INSERT INTO sticky_reassignments (pool_id, contact_id, from_number_id, to_number_id, reason, created_at)
        SELECT ${poolId}::uuid, contact_id, ${number.id}, NULL,
               ${`${reason}; no other number could take the contact now`}, ${now}
          FROM gone`.execute(trx);
    }
    return { ok: true, number: retired, moved: moves.length, unassigned: stranded.length };
  });
}
