/**
 * Keeps this process's real dispatches per number within the number's rate. Slots are
 * reserved in PostgreSQL (GCRA), but a send leaves a little after its slot, late by however
 * busy the event loop is; a late send followed by an on-time one would land two in one slot.
 * The pacer runs the same GCRA on the real clock at the moment of dispatch: a send may go
 * once `now ≥ TAT − tolerance`, then TAT advances by its slot from the *ideal* schedule, so
 * lateness is caught up instead of piling up, and bursts stay within the tolerance.
 *
 * Pacing the dispatches is not enough on its own: requests sent on time can still reach the
 * carrier together when something between here and there stalls (a GC pause, a busy event
 * loop on either side), and the carrier counts them when it gets them. So a number also has
 * at most `maxInFlight` requests unanswered (one for ordinary long codes, more when the
 * carrier's round trip needs more to keep the rate), and after an answer the next dispatch
 * waits `answerGapMs`: a stall can then bunch only what fits in the headroom.
 */
export const PACER_TOLERANCE_MS = 15;

export interface PacerLimits {
  /** This dispatch's share of the rate: segments × 1000 / (MPS × (1 − headroom)). */
  slotMs: number;
  maxInFlight: number;
  answerGapMs: number;
}

/**
 * The limits for a message of `segments` from a number of `mps` with `headroom`. With one
 * request in flight, a stall can close at most one gap between two arrivals; the answer gap
 * keeps that gap wide enough that a 1-second window still holds at most MPS of them:
 * points with all gaps ≥ slot but one ≥ G number at most ⌊(1000 − G)/slot⌋ + 2 per second,
 * which is ≤ MPS when G > 1000 − (MPS − 1)·slot (plus the tolerance an early send may take).
 * Numbers fast enough that their headroom holds several sends keep half that many in flight:
 * a stall then bunches at most that many, and the other half absorbs the early sends the
 * tolerance allows and the first send after an answer.
 */
export function pacerLimits(
  mps: number,
  segments: number,
  headroom: number,
  toleranceMs = PACER_TOLERANCE_MS,
): PacerLimits {
  const messageSlotMs = 1000 / (mps * (1 - headroom));
  const maxInFlight = Math.max(1, Math.floor((mps * headroom) / 2));
  const answerGapMs =
    maxInFlight === 1 ? Math.max(0, 1000 - (mps - 1) * messageSlotMs) + toleranceMs : 0;
  return { slotMs: segments * messageSlotMs, maxInFlight, answerGapMs };
}

interface NumberState {
  tat: number;
  notBefore: number;
  unanswered: Set<Promise<void>>;
  /** The last few times from dispatch to answer, ms. */
  roundTrips: number[];
}

export type PacerDecision = { waitMs: number } | { answer: Promise<void> };

/**
 * Round trips remembered per number. Their minimum is the carrier's latency: a stall only
 * ever lengthens one, and must not buy the stalled number more requests in flight.
 */
const ROUND_TRIPS_KEPT = 8;

export class NumberPacer {
  readonly #numbers = new Map<string, NumberState>();

  constructor(
    private readonly toleranceMs = PACER_TOLERANCE_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * How many requests `numberId` may have unanswered: its limit, raised to what its rate
   * needs over the carrier's round trip, with a margin (a carrier answering in 250 ms gets
   * five 10-MPS sends at once; one at a time, the number could never reach its rate).
   */
  inFlightLimit(numberId: string, limits: Pick<PacerLimits, 'maxInFlight' | 'slotMs'>): number {
    const roundTrips = this.#numbers.get(numberId)?.roundTrips ?? [];
    const roundTripMs = roundTrips.length === 0 ? 0 : Math.min(...roundTrips);
    return Math.max(limits.maxInFlight, Math.ceil((2 * roundTripMs) / limits.slotMs));
  }

  /**
   * What `numberId` must wait for before its next dispatch: an answer to one of its requests
   * in flight, or a number of milliseconds (0 = go now). The gap after an answer applies
   * while one request at a time is allowed.
   */
  next(
    numberId: string,
    now: number,
    limits: Pick<PacerLimits, 'maxInFlight' | 'slotMs'>,
  ): PacerDecision {
    const state = this.#numbers.get(numberId);
    if (state === undefined) return { waitMs: 0 };
    const inFlight = this.inFlightLimit(numberId, limits);
    if (state.unanswered.size >= inFlight) {
      return { answer: Promise.race(state.unanswered) };
    }
    const notBefore = inFlight === 1 ? state.notBefore : 0;
    return { waitMs: Math.max(0, state.tat - this.toleranceMs - now, notBefore - now) };
  }

  /** Records a dispatch happening now (call synchronously right after starting the request). */
  dispatched(numberId: string, now: number, limits: PacerLimits, request: Promise<unknown>): void {
    let state = this.#numbers.get(numberId);
    if (state === undefined) {
      state = { tat: now, notBefore: 0, unanswered: new Set(), roundTrips: [] };
      this.#numbers.set(numberId, state);
    }
    const number = state;
    number.tat = Math.max(number.tat, now) + limits.slotMs;
    const answered: Promise<void> = request.then(
      () => this.#answered(number, answered, now, limits.answerGapMs),
      () => this.#answered(number, answered, now, limits.answerGapMs),
    );
    number.unanswered.add(answered);
  }

  #answered(state: NumberState, answered: Promise<void>, sentAt: number, gapMs: number): void {
    const at = this.clock();
    state.unanswered.delete(answered);
    state.notBefore = Math.max(state.notBefore, at + gapMs);
    state.roundTrips.push(at - sentAt);
    if (state.roundTrips.length > ROUND_TRIPS_KEPT) state.roundTrips.shift();
  }
}

/** One per process: every batch running in this worker shares it. */
export const processPacer = new NumberPacer();
