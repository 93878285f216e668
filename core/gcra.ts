/**
 * Rate-limit arithmetic by virtual scheduling (GCRA with no burst tolerance). Each number
 * has a theoretical arrival time `nextSlotAt` (ms): the earliest instant its next segment
 * may leave. A message of k segments takes k consecutive slots, each 1000/mps ms apart,
 * and is sent at its first slot; the next message starts after its last slot. Sends wait
 * for their slot rather than being rejected. The SQL reservation mirrors this exactly:
 *   send_at = greatest(next_slot_at, now); next_slot_at = send_at + segments * interval.
 */

export interface SlotReservation {
  /** Send time (ms) of each requested message, in request order. */
  sendAts: number[];
  /** The number's new theoretical arrival time. */
  nextSlotAt: number;
}

export function slotIntervalMs(mps: number): number {
  if (!(mps > 0) || !Number.isFinite(mps))
    throw new RangeError(`mps must be a positive number, got ${mps}`);
  return 1000 / mps;
}

function checkSegments(segments: number): void {
  if (!Number.isInteger(segments) || segments < 1) {
    throw new RangeError(`segments must be a positive integer, got ${segments}`);
  }
}

/** Reserves slots for `segments[i]`-segment messages on one number, in order. */
export function reserveSlots(
  nextSlotAt: number,
  mps: number,
  now: number,
  segments: readonly number[],
): SlotReservation {
  const interval = slotIntervalMs(mps);
  let t = Math.max(nextSlotAt, now);
  const sendAts = segments.map((k) => {
    checkSegments(k);
    const at = t;
    t += k * interval;
    return at;
  });
  return { sendAts, nextSlotAt: segments.length === 0 ? nextSlotAt : t };
}

export interface NumberSlots {
  nextSlotAt: number;
  mps: number;
}

export interface BatchRequest {
  numberId: string;
  segments: number;
}

/**
 * Reserves slots for a batch whose senders are already chosen (several messages may share
 * a number). Returns each request's send time and every touched number's new nextSlotAt.
 */
export function reserveBatch(
  numbers: Readonly<Record<string, NumberSlots>>,
  now: number,
  requests: readonly BatchRequest[],
): { sendAts: number[]; nextSlotAt: Record<string, number> } {
  const next: Record<string, number> = {};
  const sendAts = requests.map(({ numberId, segments }) => {
    const slots = numbers[numberId];
    if (!slots) throw new Error(`no slot state for number ${numberId}`);
    const start = next[numberId] ?? slots.nextSlotAt;
    const {
      sendAts: [at = start],
      nextSlotAt,
    } = reserveSlots(start, slots.mps, now, [segments]);
    next[numberId] = nextSlotAt;
    return at;
  });
  return { sendAts, nextSlotAt: next };
}

/**
 * Spreads messages over several numbers, each to whichever number can send it earliest
 * (ties to the first listed), so the batch finishes as soon as the numbers' combined
 * rate allows.
 */
export function spreadAcrossNumbers(
  numbers: Readonly<Record<string, NumberSlots>>,
  now: number,
  segments: readonly number[],
): { assignments: { numberId: string; sendAt: number }[]; nextSlotAt: Record<string, number> } {
  const ids = Object.keys(numbers);
  if (ids.length === 0 && segments.length > 0) throw new Error('no numbers to spread across');
  const next: Record<string, number> = {};
  for (const id of ids) next[id] = Math.max(numbers[id]?.nextSlotAt ?? now, now);
  const assignments = segments.map((k) => {
    checkSegments(k);
    let best = ids[0] ?? '';
    for (const id of ids) if ((next[id] ?? 0) < (next[best] ?? 0)) best = id;
    const sendAt = next[best] ?? now;
    next[best] = sendAt + k * slotIntervalMs(numbers[best]?.mps ?? 0);
    return { numberId: best, sendAt };
  });
  return { assignments, nextSlotAt: next };
}
