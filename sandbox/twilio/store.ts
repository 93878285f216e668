import type { ListFilter } from './list-filter.ts';
import type { StoredMessage } from './message.ts';

const SECOND = 1000;

/**
 * Message resources by SID, newest first for listing, plus per-pair send counters. Lists
 * filtered by recipient or sender walk only that phone's messages, as an indexed store would:
 * a client resolving thousands of lost answers must not scan every message for each.
 */
export class MessageStore {
  #bySid = new Map<string, StoredMessage>();
  #ordered: StoredMessage[] = [];
  #byTo = new Map<string, StoredMessage[]>();
  #byFrom = new Map<string, StoredMessage[]>();
  #pairCounts = new Map<string, number>();

  add(message: StoredMessage): void {
    this.#bySid.set(message.sid, message);
    this.#ordered.push(message);
    appendTo(this.#byTo, message.to, message);
    appendTo(this.#byFrom, message.from, message);
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
    const candidates = this.#candidates(filter);
    for (let i = candidates.length - 1; i >= 0; i -= 1) {
      const message = candidates[i];
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

  /** The smallest list, in sending order, that holds every message the filter can match. */
  #candidates(filter: ListFilter): readonly StoredMessage[] {
    const byTo = filter.to === undefined ? undefined : (this.#byTo.get(filter.to) ?? []);
    const byFrom = filter.from === undefined ? undefined : (this.#byFrom.get(filter.from) ?? []);
    if (byTo !== undefined && byFrom !== undefined)
      return byTo.length <= byFrom.length ? byTo : byFrom;
    return byTo ?? byFrom ?? this.#ordered;
  }

  clear(): void {
    this.#bySid.clear();
    this.#ordered = [];
    this.#byTo.clear();
    this.#byFrom.clear();
    this.#pairCounts.clear();
  }
}

function appendTo(index: Map<string, StoredMessage[]>, key: string, message: StoredMessage): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [message]);
  else list.push(message);
}
