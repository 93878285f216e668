/**
 * A bounded set of strings that forgets each entry `ttlMs` after it was last added: at most
 * `capacity` entries, the least recently added going first. Time is passed in.
 */
export class RecentSet {
  readonly #expiries = new Map<string, number>();

  constructor(
    readonly capacity: number,
    readonly ttlMs: number,
  ) {}

  add(value: string, now: number): void {
    this.#expiries.delete(value);
    this.#expiries.set(value, now + this.ttlMs);
    if (this.#expiries.size > this.capacity) {
      const oldest = this.#expiries.keys().next();
      if (oldest.done !== true) this.#expiries.delete(oldest.value);
    }
  }

  has(value: string, now: number): boolean {
    const expiry = this.#expiries.get(value);
    if (expiry === undefined) return false;
    if (expiry > now) return true;
    this.#expiries.delete(value);
    return false;
  }

  get size(): number {
    return this.#expiries.size;
  }
}
