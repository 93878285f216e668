import type { ListFilter } from './list-filter.ts';
import type { StoredMessage } from './message.ts';

const SECOND = 1000;

/** Message resources by SID, newest first for listing, plus per-pair send counters. */
export class MessageStore {
  #bySid = new Map<string, StoredMessage>();
  #ordered: StoredMessage[] = [];
  #pairCounts = new Map<string, number>();

  add(message: StoredMessage): void {
    this.#bySid.set(message.sid, message);
    this.#ordered.push(message);
  }

  get(sid: string): StoredMessage | undefined {
    return this.#bySid.get(sid);
  }

  get size(): number {
    return this.#ordered.length;
  }

  /** How many messages this sender has sent this recipient before (0 for the first). */
  nextPairIndex(from: string, to: string): number {
    const key = `${from}\u0000${to}`;
    const index = this.#pairCounts.get(key) ?? 0;
    this.#pairCounts.set(key, index + 1);
    return index;
  }

  /**
   * Matching messages, newest first. Dates compare with `date_sent` as the resource shows it
   * (whole seconds), so a bound read back from a message includes that message.
   */
  list(filter: ListFilter): StoredMessage[] {
    const matches: StoredMessage[] = [];
    const { sentOn, sentBefore, sentAfter } = filter;
    for (let i = this.#ordered.length - 1; i >= 0; i -= 1) {
      const message = this.#ordered[i];
      if (message === undefined) continue;
      const ms = message.createdAt.getTime();
      const sent = ms - (ms % SECOND);
      if (filter.to !== undefined && message.to !== filter.to) continue;
      if (filter.from !== undefined && message.from !== filter.from) continue;
      if (sentOn !== undefined && (sent < sentOn.start || sent > sentOn.end)) continue;
      if (sentBefore !== undefined && sent > sentBefore.end) continue;
      if (sentAfter !== undefined && sent < sentAfter.start) continue;
      matches.push(message);
    }
    return matches;
  }

  clear(): void {
    this.#bySid.clear();
    this.#ordered = [];
    this.#pairCounts.clear();
  }
}
