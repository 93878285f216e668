/**
 * The rate model, once: virtual scheduling (GCRA with no burst tolerance). Each number has a
 * theoretical arrival time `nextSlotAt` (ms): the earliest instant its next message may
 * leave. A send occupies `sendSlotMs` of it (an SMS by its segments at the number's MPS, an
 * MMS at the number's MMS rate) and is sent at its start; the next send starts after it. Sends
 * wait for their slot rather than being rejected. The PostgreSQL reservation
 * (db/sender-slots.ts), the pacer's spacing at dispatch (activities/number-pacer.ts) and the
 * re-reservation of a late message all take their slot lengths from `sendSlotMs` and place
 * them with `placeSlots`.
 */

export interface SlotReservation {
  /** Send time (ms) of each requested message, in request order. */
  sendAts: number[];
  /** The number's new theoretical arrival time. */
  nextSlotAt: number;
}

/**
 * Milliseconds a message of `segments` occupies on a number of `mps` that keeps `headroom`
 * (a share of its rate) free for jitter: segments × 1000 / (MPS × (1 − headroom)), rounded
 * up to whole milliseconds, so stored slots stay exact and no two messages are ever closer
 * than their segments allow.
 */
export function messageSlotMs(segments: number, mps: number, headroom = 0): number {
  if (!(mps > 0) || !Number.isFinite(mps))
    throw new RangeError(`mps must be a positive number, got ${mps}`);
  if (!Number.isInteger(segments) || segments < 1)
    throw new RangeError(`segments must be a positive integer, got ${segments}`);
  if (!(headroom >= 0 && headroom < 1))
    throw new RangeError(`headroom must be in [0, 1), got ${headroom}`);
  return Math.ceil((segments * 1000) / (mps * (1 - headroom)) - 1e-9);
}

/** What one send costs a number: its segments, and whether it carries media (an MMS). */
export interface SendCost {
  segments: number;
  media: boolean;
}

/** A number's rates: SMS segments per second, and messages with media per second. */
export interface NumberRate {
  mps: number;
  /** Null: MMS share the number's `mps` (one MMS as one segment). */
  mmsMps: number | null;
}

/**
 * Milliseconds one send occupies on a number: an SMS by its segments at the number's MPS
 * (`messageSlotMs`), an MMS as one message at its MMS rate. Carriers count an MMS as one
 * message whatever its text, at a rate of its own, usually lower than the number's SMS rate.
 */
export function sendSlotMs(cost: SendCost, rate: NumberRate, headroom = 0): number {
  return cost.media
    ? messageSlotMs(1, rate.mmsMps ?? rate.mps, headroom)
    : messageSlotMs(cost.segments, rate.mps, headroom);
}

/** Places slots of the given lengths one after another from the number's arrival time. */
export function placeSlots(
  nextSlotAt: number,
  now: number,
  slotLengths: readonly number[],
): SlotReservation {
  let t = Math.max(nextSlotAt, now);
  const sendAts = slotLengths.map((length) => {
    const at = t;
    t += length;
    return at;
  });
  return { sendAts, nextSlotAt: slotLengths.length === 0 ? nextSlotAt : t };
}

/** Reserves slots for `segments[i]`-segment messages on one number, in order. */
export function reserveSlots(
  nextSlotAt: number,
  mps: number,
  now: number,
  segments: readonly number[],
  headroom = 0,
): SlotReservation {
  return placeSlots(
    nextSlotAt,
    now,
    segments.map((k) => messageSlotMs(k, mps, headroom)),
  );
}
