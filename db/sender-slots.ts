import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { messageSlotMs, placeSlots } from '../core/gcra.ts';
import type { Database } from './tables.ts';

export interface SlotDemand {
  numberId: string;
  /** Messages for this number in order, by segments. */
  segments: readonly number[];
}

/**
 * Reserves GCRA slots (virtual scheduling, no burst) for many messages on many numbers in
 * one statement: each number's theoretical arrival time advances by the slots its messages
 * take, starting no earlier than `now`. The numbers are locked in id order, so concurrent
 * reservations from any number of processes serialise per number without deadlocks and
 * never hand out the same slot twice. The statement applies the rate model of core/gcra.ts
 * (`placeSlots` of `messageSlotMs`) to the stored arrival time; the send times come from the
 * same functions. Returns each number's send times, in demand order.
 */
export async function reserveSlots(
  db: Kysely<Database>,
  demands: readonly SlotDemand[],
  mpsById: ReadonlyMap<string, number>,
  now: Date,
  /** Share of each number's MPS kept free (see RATE_LIMIT_HEADROOM). */
  headroom: number,
): Promise<Map<string, Date[]>> {
  const sendAts = new Map<string, Date[]>();
  if (demands.length === 0) return sendAts;
  const durations = demands.map((d) => {
    const mps = mpsById.get(d.numberId);
    if (mps === undefined) throw new Error(`no MPS known for number ${d.numberId}`);
    return d.segments.map((segments) => messageSlotMs(segments, mps, headroom));
  });
  const totals = durations.map((list) => list.reduce((sum, ms) => sum + ms, 0));
  const started = await sql<{ id: string; start_ms: number }>`
    WITH r AS (
      SELECT * FROM unnest(${demands.map((d) => d.numberId)}::bigint[], ${totals}::bigint[])
        AS r(id, total_ms)
    ), old AS (
      SELECT n.id, n.next_slot_at FROM sender_numbers n
       WHERE n.id IN (SELECT id FROM r) ORDER BY n.id FOR NO KEY UPDATE
    )
    UPDATE sender_numbers n
       SET next_slot_at = greatest(old.next_slot_at, ${now}::timestamptz)
                          + make_interval(secs => r.total_ms / 1000.0)
      FROM old JOIN r USING (id)
     WHERE n.id = old.id
    RETURNING n.id::text AS id,
      round(extract(epoch FROM greatest(old.next_slot_at, ${now}::timestamptz)) * 1000)::float8 AS start_ms`.execute(
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
