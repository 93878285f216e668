import type { LedgerQuery } from './config.ts';

export type Channel = 'sms' | 'imessage';

export interface LedgerEntry {
  readonly channel: Channel;
  readonly sid: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly segments: number;
  /** ISO 8601 time of acceptance. */
  readonly at: string;
}

export interface LedgerPage {
  readonly entries: LedgerEntry[];
  readonly total: number;
}

/** Every message the sandbox accepted for sending, in acceptance order. */
export class Ledger {
  #entries: LedgerEntry[] = [];

  record(entry: LedgerEntry): void {
    this.#entries.push(entry);
  }

  query(filter: LedgerQuery = {}): LedgerPage {
    const since = filter.since === undefined ? undefined : Date.parse(filter.since);
    const entries = this.#entries.filter(
      (entry) =>
        (filter.to === undefined || entry.to === filter.to) &&
        (filter.from === undefined || entry.from === filter.from) &&
        (filter.channel === undefined || entry.channel === filter.channel) &&
        (since === undefined || Number.isNaN(since) || Date.parse(entry.at) >= since),
    );
    return { entries, total: entries.length };
  }

  clear(): void {
    this.#entries = [];
  }
}
