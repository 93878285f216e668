/**
 * A map from E.164 numbers to small non-negative integers, off the JavaScript heap: the digits
 * (at most 15) fit a float64 exactly, kept in an open-addressing table of typed arrays. An
 * import keeps a million numbers in ~24 MB this way, and its per-chunk lookups leave no
 * garbage behind: a `Map` of strings promoted every key to the old generation, where it
 * waited for a major GC and more than doubled the API's peak memory.
 */
export class PhoneTable {
  private keys: Float64Array;
  /** Absent for a table of keys only (a set): a million numbers then take 16 MB, not 24. */
  private values: Int32Array | undefined;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 16, options: { keysOnly?: boolean } = {}) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.keys = new Float64Array(slots);
    this.values = options.keysOnly === true ? undefined : new Int32Array(slots);
    this.mask = slots - 1;
  }

  get(e164: string): number | undefined {
    return this.getKey(phoneKey(e164));
  }

  /** `get` by the number's key (`phoneKey`), for callers that look a number up repeatedly. */
  getKey(key: number): number | undefined {
    const slot = this.find(key);
    return this.keys[slot] === 0 ? undefined : (this.values?.[slot] ?? 1);
  }

  /** Sets a number's value; true when the number was not in the table yet. */
  set(e164: string, value: number): boolean {
    return this.setKey(phoneKey(e164), value);
  }

  setKey(key: number, value: number): boolean {
    const slot = this.find(key);
    if (this.values !== undefined) this.values[slot] = value;
    if (this.keys[slot] !== 0) return false;
    this.keys[slot] = key;
    this.size += 1;
    if (this.size * 2 > this.keys.length) this.grow();
    return true;
  }

  /** Visits every value, in the order of the numbers' digits. */
  forEachInOrder(visit: (value: number) => void): void {
    const held = new Float64Array(this.size);
    let count = 0;
    for (const key of this.keys) if (key !== 0) held[count++] = key;
    held.sort();
    for (const key of held) visit(this.getKey(key) ?? 0);
  }

  clear(): void {
    this.keys.fill(0);
    this.size = 0;
  }

  /** The slot holding `key`, or the empty slot where it belongs. */
  private find(key: number): number {
    let slot = hash(key) & this.mask;
    for (;;) {
      const held = this.keys[slot];
      if (held === key || held === 0) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.values = values === undefined ? undefined : new Int32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    for (let old = 0; old < keys.length; old++) {
      const key = keys[old] ?? 0;
      if (key === 0) continue;
      const slot = this.find(key);
      this.keys[slot] = key;
      if (this.values !== undefined) this.values[slot] = values?.[old] ?? 0;
    }
  }
}

/** The table's key for an E.164 number: its digits as a number. */
export function phoneKey(e164: string): number {
  const key = Number(e164.slice(1));
  if (!Number.isSafeInteger(key) || key <= 0 || e164[0] !== '+') {
    throw new Error(`not an E.164 number: ${e164}`);
  }
  return key;
}

/** Mixes both halves of the number (Math.imul keeps it in 32-bit integer arithmetic). */
function hash(key: number): number {
  const low = (key % 0x100000000) | 0;
  const high = Math.floor(key / 0x100000000) | 0;
  return Math.imul(low ^ Math.imul(high, 0x27d4eb2d), 0x9e3779b1) >>> 0;
}
