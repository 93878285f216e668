import { buildPoolIndex, underCap } from './sender-pool-index.ts';
import type { PoolIndex } from './sender-pool-index.ts';
import type { PoolNumber, PoolOptions } from './sender-pool.ts';
import { loadCurrent, saveCurrent, smoothPick } from './weighted-round-robin.ts';
import type { WrrState } from './weighted-round-robin.ts';
import { selectionError } from './sender-selection-errors.ts';
import type { SelectionError } from './sender-selection-errors.ts';

export type { SelectionError, SelectionErrorCode } from './sender-selection-errors.ts';

export interface SelectionRequest {
  contactId: string;
  areaCode: string | null;
  region: string | null;
  /** The contact's remembered sender in this pool, if any. */
  stickyNumberId?: string | null;
  /** Explicit sender (E.164); must belong to the pool. */
  fromNumber?: string | null;
  /** Numbers this attempt must not use (a retry leaves from a different number). */
  excludeNumberIds?: readonly string[];
}

export type SelectionReason = 'explicit' | 'sticky' | 'area_code' | 'region' | 'any';

export interface SenderPick {
  ok: true;
  contactId: string;
  numberId: string;
  phone: string;
  reason: SelectionReason;
  /** Chosen from a cooling number because skip_unhealthy is off and nothing healthy was left. */
  unhealthyFallback: boolean;
  /** The contact is new to this number: counts against its daily cap, and the caller
   * should (re)store the sticky assignment. */
  newRecipient: boolean;
}

export type SelectionResult = SenderPick | SelectionError;

export interface BatchSelection {
  results: SelectionResult[];
  state: WrrState;
  /** Today's new-recipient count per number after this batch. */
  newRecipientsToday: Record<string, number>;
}

type Allowed = (i: number) => boolean;

function pick(
  index: PoolIndex,
  request: SelectionRequest,
  i: number,
  reason: SelectionReason,
  unhealthyFallback: boolean,
): SenderPick {
  const number = index.numbers[i];
  if (!number) throw new Error(`pool index out of range: ${i}`);
  const newRecipient = number.id !== request.stickyNumberId;
  if (newRecipient) index.usage[i] = (index.usage[i] ?? 0) + 1;
  const { contactId } = request;
  return {
    ok: true,
    contactId,
    numberId: number.id,
    phone: number.phone,
    reason,
    unhealthyFallback,
    newRecipient,
  };
}

function byGeography(
  index: PoolIndex,
  request: SelectionRequest,
  weights: Float64Array,
  current: Float64Array,
  allowed: Allowed,
): { i: number; reason: SelectionReason } | null {
  if (index.pool.geomatch) {
    const local = request.areaCode === null ? undefined : index.byAreaCode.get(request.areaCode);
    const i = local ? smoothPick(local, weights, current, allowed) : -1;
    if (i !== -1) return { i, reason: 'area_code' };
    const region =
      request.region === null ? undefined : index.byRegion.get(request.region.toUpperCase());
    const j = region ? smoothPick(region, weights, current, allowed) : -1;
    if (j !== -1) return { i: j, reason: 'region' };
  }
  const k = smoothPick(index.all, weights, current, allowed);
  return k === -1 ? null : { i: k, reason: 'any' };
}

function selectOne(
  index: PoolIndex,
  request: SelectionRequest,
  current: Float64Array,
): SelectionResult {
  const { contactId } = request;
  if (index.numbers.length === 0) return selectionError(contactId, 'no_numbers');
  const excluded = new Set<number>();
  for (const id of request.excludeNumberIds ?? []) {
    const i = index.byId.get(id);
    if (i !== undefined) excluded.add(i);
  }
  const isNew = (i: number): boolean => index.ids[i] !== request.stickyNumberId;
  const allowed: Allowed = (i) => !excluded.has(i) && (!isNew(i) || underCap(index, i));

  if (request.fromNumber) {
    const i = index.byPhone.get(request.fromNumber);
    if (i === undefined) return selectionError(contactId, 'from_number_not_owned');
    // A paused number is out until an operator resumes it, whatever skip_unhealthy says.
    const paused = index.numbers[i]?.state === 'paused';
    const healthy = !paused && ((index.weights[i] ?? 0) > 0 || !index.pool.skip_unhealthy);
    if (!healthy || !allowed(i)) return selectionError(contactId, 'from_number_unavailable');
    return pick(index, request, i, 'explicit', (index.weights[i] ?? 0) === 0);
  }

  const sticky = request.stickyNumberId ? index.byId.get(request.stickyNumberId) : undefined;
  // A number at its daily cap still serves the contacts already assigned to it.
  if (
    index.pool.sticky_sender &&
    sticky !== undefined &&
    (index.weights[sticky] ?? 0) > 0 &&
    !excluded.has(sticky)
  ) {
    return pick(index, request, sticky, 'sticky', false);
  }

  const healthy = byGeography(index, request, index.weights, current, allowed);
  if (healthy) return pick(index, request, healthy.i, healthy.reason, false);
  if (!index.pool.skip_unhealthy) {
    const last = byGeography(index, request, index.fallbackWeights, current, allowed);
    if (last) return pick(index, request, last.i, last.reason, true);
  }

  const candidates = index.usable.filter((i) => !excluded.has(i));
  const misconfigured = (i: number) => index.numbers[i]?.state === 'misconfigured';
  if (candidates.every(misconfigured) && index.usable.some(misconfigured))
    return selectionError(contactId, 'all_misconfigured');
  if (candidates.some((i) => (index.weights[i] ?? 0) > 0))
    return selectionError(contactId, 'daily_cap_reached');
  if (candidates.length === 0) return selectionError(contactId, 'no_eligible_numbers');
  return index.pool.skip_unhealthy
    ? selectionError(contactId, 'all_unhealthy')
    : selectionError(contactId, 'daily_cap_reached');
}

/**
 * Assigns a sender to every request of a batch. Cost is O(batch × candidates in the
 * matching bucket) plus O(pool) once to build the index.
 */
export function selectSenders(
  pool: PoolOptions,
  numbers: readonly PoolNumber[],
  requests: readonly SelectionRequest[],
  state: WrrState,
): BatchSelection {
  const index = buildPoolIndex(pool, numbers);
  const current = loadCurrent(index.ids, state);
  const results = requests.map((request) => selectOne(index, request, current));
  const newRecipientsToday: Record<string, number> = {};
  index.ids.forEach((id, i) => {
    newRecipientsToday[id] = index.usage[i] ?? 0;
  });
  return { results, state: saveCurrent(index.ids, current), newRecipientsToday };
}

export function selectSender(
  pool: PoolOptions,
  numbers: readonly PoolNumber[],
  request: SelectionRequest,
  state: WrrState,
): { result: SelectionResult; state: WrrState } {
  const batch = selectSenders(pool, numbers, [request], state);
  const [result] = batch.results;
  if (!result) throw new Error('selectSenders returned no result for one request');
  return { result, state: batch.state };
}
