import { compareBigintIds } from './bigint-ids.ts';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { placeSlots, sendSlotMs, type NumberRate, type SendCost } from '../core/gcra.ts';
import type { Database } from './tables.ts';
import { PREPARED } from './prepared.ts';

export interface SlotDemand {
  numberId: string;
  /** Sends for this number in order, by what each costs. */
  sends: readonly SendCost[];
}

/**
 * Reserves GCRA slots (virtual scheduling, no burst) for many messages on many numbers in
 * one statement: each number's theoretical arrival time advances by the slots its messages
 * take, starting no earlier than `now`. Each number is locked once, by the update itself (in
 * id order, as the demands are given to it sorted), so concurrent reservations from any number
 * of processes serialise per number and never hand out the same slot twice. The statement applies the rate model of core/gcra.ts
 * (`placeSlots` of `sendSlotMs`) to the stored arrival time; the send times come from the
 * same functions. Returns each number's send times, in demand order.
 */
export async function reserveSlots(
  db: Kysely<Database>,
  demands: readonly SlotDemand[],
  rateById: ReadonlyMap<string, NumberRate>,
  now: Date,
  /** Share of each number's MPS kept free (see RATE_LIMIT_HEADROOM). */
  headroom: number,
): Promise<Map<string, Date[]>> {
  const sendAts = new Map<string, Date[]>();
  if (demands.length === 0) return sendAts;
  const durations = demands.map((d) => {
    const rate = rateById.get(d.numberId);
    if (rate === undefined) throw new Error(`no MPS known for number ${d.numberId}`);
    return d.sends.map((cost) => sendSlotMs(cost, rate, headroom));
  });
  const totals = durations.map((list) => list.reduce((sum, ms) => sum + ms, 0));
  const order = demands
    .map((_, i) => i)
    .sort((a, b) => compareBigintIds(demands[a]?.numberId ?? '', demands[b]?.numberId ?? ''));
  // One statement and one lock per number: its row is updated in place and the slot start
  // read back as the new arrival time less what was reserved (a separate locking read of the
  // rows first took each lock twice, and deadlocked with concurrent reservations).
  const started = await sql<{ id: string; start_ms: number }>`${PREPARED}
    UPDATE sender_numbers n
       SET next_slot_at = greatest(n.next_slot_at, ${now}::timestamptz)
                          + make_interval(secs => r.total_ms / 1000.0)
      FROM unnest(${order.map((i) => demands[i]?.numberId)}::bigint[], ${order.map((i) => totals[i])}::bigint[])
           AS r(id, total_ms)
     WHERE n.id = r.id
    RETURNING n.id::text AS id,
      (round(extract(epoch FROM n.next_slot_at) * 1000) - r.total_ms)::float8 AS start_ms`.execute(
    db,
  );
  const startById = new Map(started.rows.map((row) => [row.id, row.start_ms]));
  demands.forEach((demand, i) => {
    const start = startById.get(demand.numberId);
    if (start === undefined) throw new Error(`number ${demand.numberId} vanished while reserving`);
    const { sendAts: placed } = placeSlots(start, start, durations[i] ?? []);
    sendAts.set(
      demand.numberId,
      placed.map((at) => new Date(at)),
    );
  });
  return sendAts;
}
