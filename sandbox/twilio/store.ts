import type { StoredMessage } from './message.ts';

export interface ListFilter {
  readonly to?: string;
  readonly from?: string;
  /** `DateSent`: same UTC day (YYYY-MM-DD) or exact instant. */
  readonly dateSent?: string;
  /** `DateSent<`: on or before. */
  readonly dateSentBefore?: string;
  /** `DateSent>`: on or after. */
  readonly dateSentAfter?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

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

  /** Matching messages, newest first. */
  list(filter: ListFilter): StoredMessage[] {
    const matches: StoredMessage[] = [];
    const sent = dayOf(filter.dateSent);
    const before = bounds(filter.dateSentBefore);
    const after = bounds(filter.dateSentAfter);
    for (let i = this.#ordered.length - 1; i >= 0; i -= 1) {
      const message = this.#ordered[i];
      if (message === undefined) continue;
      const at = message.createdAt.getTime();
      if (filter.to !== undefined && message.to !== filter.to) continue;
      if (filter.from !== undefined && message.from !== filter.from) continue;
      if (sent !== undefined && (at < sent.start || at > sent.end)) continue;
      if (before !== undefined && at > before.end) continue;
      if (after !== undefined && at < after.start) continue;
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

/** A YYYY-MM-DD day covers the whole UTC day; a full timestamp is an instant. */
function bounds(value: string | undefined): { start: number; end: number } | undefined {
  if (value === undefined || value === '') return undefined;
  if (DAY.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`);
    return { start, end: start + DAY_MS - 1 };
  }
  const instant = Date.parse(value);
  if (Number.isNaN(instant)) return undefined;
  return { start: instant, end: instant };
}

/** `DateSent` matches the UTC day of the value, whether it is given as a day or a timestamp. */
function dayOf(value: string | undefined): { start: number; end: number } | undefined {
  const instant = bounds(value);
  if (instant === undefined) return undefined;
  const start = instant.start - (instant.start % DAY_MS);
  return { start, end: start + DAY_MS - 1 };
}
