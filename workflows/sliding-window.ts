/**
 * Runs `run` over `items` with at most `width` in flight, starting the next item as soon as
 * one finishes (not when the whole window has), so the carrier never idles while a slow batch
 * holds the others back. Deterministic: only promises, no I/O, safe in workflow code.
 */
export async function slidingWindow<T>(
  items: readonly T[],
  width: number,
  run: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index];
      if (item !== undefined) await run(item, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

/** The cursor a keyset walk may persist: the end of the longest prefix of finished ranges. */
export class PrefixCursor {
  readonly #ends: string[];
  readonly #done: boolean[] = [];
  #prefix = 0;

  constructor(ends: readonly string[] = []) {
    this.#ends = [...ends];
  }

  /** Appends the ends of ranges planned after the ones already known. */
  add(ends: readonly string[]): void {
    this.#ends.push(...ends);
  }

  /** Marks range `index` finished; returns the new cursor, or undefined when it did not move. */
  finish(index: number): string | undefined {
    this.#done[index] = true;
    const before = this.#prefix;
    while (this.#done[this.#prefix] === true) this.#prefix += 1;
    return this.#prefix === before ? undefined : this.#ends[this.#prefix - 1];
  }
}
