/**
 * Smooth weighted round-robin (the nginx upstream algorithm): every pick adds each
 * candidate's weight to its current weight, takes the largest, and subtracts the total
 * from the winner. Over any run the picks follow the weights closely and evenly
 * interleaved (5:1:1 gives a a b a c a a, never a a a a a b c).
 *
 * Current weights by number id; callers keep this between calls and batches.
 */
export type WrrState = Readonly<Record<string, number>>;

/**
 * Picks one index of `candidates` whose `weights[i] > 0` and `allowed(i)`, updating
 * `current` in place. Returns -1 when no candidate qualifies.
 */
export function smoothPick(
  candidates: readonly number[],
  weights: Float64Array,
  current: Float64Array,
  allowed: (index: number) => boolean,
): number {
  let best = -1;
  let total = 0;
  for (const i of candidates) {
    const w = weights[i] ?? 0;
    if (w <= 0 || !allowed(i)) continue;
    const c = (current[i] ?? 0) + w;
    current[i] = c;
    total += w;
    if (best === -1 || c > (current[best] ?? 0)) best = i;
  }
  if (best !== -1) current[best] = (current[best] ?? 0) - total;
  return best;
}

export function loadCurrent(ids: readonly string[], state: WrrState): Float64Array {
  const current = new Float64Array(ids.length);
  ids.forEach((id, i) => {
    current[i] = state[id] ?? 0;
  });
  return current;
}

/** Keeps only numbers still in the pool, so removed numbers do not linger in the state. */
export function saveCurrent(ids: readonly string[], current: Float64Array): WrrState {
  const state: Record<string, number> = {};
  ids.forEach((id, i) => {
    const c = current[i] ?? 0;
    if (c !== 0) state[id] = c;
  });
  return state;
}

/** Standalone form for simple lists (e.g. a handful of Blooio lines). */
export function pickWeighted(
  items: readonly { id: string; weight: number }[],
  state: WrrState,
): { id: string | null; state: WrrState } {
  const ids = items.map((item) => item.id);
  const weights = Float64Array.from(items, (item) => item.weight);
  const current = loadCurrent(ids, state);
  const best = smoothPick(
    ids.map((_, i) => i),
    weights,
    current,
    () => true,
  );
  return { id: best === -1 ? null : (ids[best] ?? null), state: saveCurrent(ids, current) };
}
