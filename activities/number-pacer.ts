import { messageSlotMs, sendSlotMs, type NumberRate, type SendCost } from '../core/gcra.ts';
/**
 * Keeps this process's real dispatches per number within the number's rate. Slots are
 * reserved in PostgreSQL (GCRA), but a send leaves a little after its slot, late by however
 * busy the event loop is; a late send followed by an on-time one would land two in one slot.
 * The pacer runs the same GCRA on the real clock at the moment of dispatch: a send may go
 * once `now ≥ TAT − tolerance`, then TAT advances by its slot.
 *
 * Pacing the dispatches is not enough on its own: requests sent on time can still reach the
 * carrier together when something between here and there stalls (a GC pause, a busy event
 * loop on either side), and the carrier counts them when it gets them. A request reaches the
 * carrier after it is sent and before it is answered, so a number whose last `MPS` segments
 * include one answered at `t` sends nothing before `t + 1 s`: no 1-second window at the
 * carrier can then hold more than `MPS` segments, whatever the stalls. A number also has at
 * most `maxInFlight` requests unanswered (one for ordinary long codes).
 *
 * A carrier whose round trip is long against the number's slot (real Twilio answers in
 * ~250 ms) would cap such a window below the rate: MPS sends per second and a round trip.
 * For those numbers more requests go in flight and dispatch spacing alone keeps the rate.
 */
export const PACER_TOLERANCE_MS = 15;

/** Milliseconds past a second after an answer: clocks of different processes, rounding. */
const WINDOW_MARGIN_MS = 2;

export interface PacerLimits {
  /** This dispatch's share of the rate: segments × 1000 / (MPS × (1 − headroom)). */
  slotMs: number;
  /** This dispatch's segments. */
  segments: number;
  /** Segments the carrier takes from the number per second: its MPS. */
  segmentsPerSecond: number;
  maxInFlight: number;
}

/**
 * The limits for a message of `segments` from a number of `mps` with `headroom`. Numbers
 * fast enough that their headroom holds several sends keep half that many in flight: a
 * stall then bunches at most that many, and the other half absorbs the early sends the
 * tolerance allows.
 */
export function pacerLimits(mps: number, segments: number, headroom: number): PacerLimits {
  return {
    slotMs: messageSlotMs(segments, mps, headroom),
    segments,
    segmentsPerSecond: Math.max(1, Math.floor(mps)),
    maxInFlight: Math.max(1, Math.floor((mps * headroom) / 2)),
  };
}

/** The limits for one send: an MMS takes its slot at the number's MMS rate, as one segment. */
export function sendPacerLimits(rate: NumberRate, cost: SendCost, headroom: number): PacerLimits {
  if (!cost.media) return pacerLimits(rate.mps, cost.segments, headroom);
  return { ...pacerLimits(rate.mps, 1, headroom), slotMs: sendSlotMs(cost, rate, headroom) };
}

interface Dispatch {
  segments: number;
  answered: Promise<void>;
  answeredAt: number | undefined;
}

interface NumberState {
  tat: number;
  /** Recent dispatches, oldest first: those that may still share a second at the carrier. */
  recent: Dispatch[];
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
    return this.#inFlightLimit(this.#roundTripMs(this.#numbers.get(numberId)), limits);
  }

  #inFlightLimit(roundTripMs: number, limits: Pick<PacerLimits, 'maxInFlight' | 'slotMs'>) {
    return Math.max(limits.maxInFlight, Math.ceil((2 * roundTripMs) / limits.slotMs));
  }

  #roundTripMs(state: NumberState | undefined): number {
    return state === undefined || state.roundTrips.length === 0 ? 0 : Math.min(...state.roundTrips);
  }

  /**
   * What `numberId` must wait for before its next dispatch: an answer to one of its requests
   * in flight, or a number of milliseconds (0 = go now).
   */
  next(numberId: string, now: number, limits: PacerLimits): PacerDecision {
    const state = this.#numbers.get(numberId);
    if (state === undefined) return { waitMs: 0 };
    const roundTripMs = this.#roundTripMs(state);
    if (state.unanswered.size >= this.#inFlightLimit(roundTripMs, limits)) {
      return { answer: Promise.race(state.unanswered) };
    }
    let waitMs = Math.max(0, state.tat - this.toleranceMs - now);
    // The window costs nothing while MPS sends at the reserved rate span a second and a
    // round trip; beyond that (a slow carrier) it would cap the rate, and spacing alone holds.
    const messageSlotMs = limits.slotMs / limits.segments;
    if (roundTripMs + 1000 + WINDOW_MARGIN_MS <= limits.segmentsPerSecond * messageSlotMs) {
      const bound = this.#windowBound(state, now, limits);
      if (bound !== undefined && bound.answeredAt === undefined) return { answer: bound.answered };
      if (bound !== undefined)
        waitMs = Math.max(waitMs, (bound.answeredAt ?? 0) + 1000 + WINDOW_MARGIN_MS - now);
    }
    return { waitMs };
  }

  /**
   * The most recent dispatch that must be a second behind this one at the carrier: counting
   * back from the newest, the one whose segments, with this dispatch's, exceed the MPS.
   */
  #windowBound(state: NumberState, now: number, limits: PacerLimits): Dispatch | undefined {
    const { recent } = state;
    while ((recent[0]?.answeredAt ?? Infinity) + 1000 + WINDOW_MARGIN_MS <= now) recent.shift();
    let segments = limits.segments;
    for (let i = recent.length - 1; i >= 0; i--) {
      const dispatch = recent[i];
      if (dispatch === undefined) break;
      segments += dispatch.segments;
      if (segments > limits.segmentsPerSecond) return dispatch;
    }
    return undefined;
  }

  /** Records a dispatch happening now (call synchronously right after starting the request). */
  dispatched(numberId: string, now: number, limits: PacerLimits, request: Promise<unknown>): void {
    let state = this.#numbers.get(numberId);
    if (state === undefined) {
      state = { tat: now, recent: [], unanswered: new Set(), roundTrips: [] };
      this.#numbers.set(numberId, state);
    }
    const number = state;
    number.tat = Math.max(number.tat, now) + limits.slotMs;
    const dispatch: Dispatch = {
      segments: limits.segments,
      answered: request.then(
        () => this.#answered(number, dispatch, now),
        () => this.#answered(number, dispatch, now),
      ),
      answeredAt: undefined,
    };
    number.unanswered.add(dispatch.answered);
    number.recent.push(dispatch);
    // Far more than a second's worth is never needed (fast numbers answered long ago).
    if (number.recent.length > 4 * limits.segmentsPerSecond) number.recent.shift();
  }

  #answered(state: NumberState, dispatch: Dispatch, sentAt: number): void {
    const at = this.clock();
    dispatch.answeredAt = at;
    state.unanswered.delete(dispatch.answered);
    state.roundTrips.push(at - sentAt);
    if (state.roundTrips.length > ROUND_TRIPS_KEPT) state.roundTrips.shift();
  }
}

/** One per process: every batch running in this worker shares it. */
export const processPacer = new NumberPacer();
