import type { LedgerQuery, RefusalQuery } from './config.ts';

export type Channel = 'sms' | 'imessage';

export interface LedgerEntry {
  readonly channel: Channel;
  readonly sid: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly segments: number;
  /** Media sent with it (an MMS; Blooio attachments); absent or empty: text only. */
  readonly mediaUrls?: readonly string[];
  /** ISO 8601 time of acceptance. */
  readonly at: string;
}

/** A send the carrier refused with an error: nothing was created, but the request arrived. */
export interface RefusalEntry {
  readonly channel: Channel;
  readonly from: string;
  readonly to: string;
  readonly status: number;
  readonly code: number;
  readonly message: string;
  /** ISO 8601 time of the refusal. */
  readonly at: string;
}

export interface LedgerPage {
  readonly entries: LedgerEntry[];
  readonly total: number;
}

/**
 * Every message the sandbox accepted for sending, in acceptance order; and apart, every send it
 * refused at the API (a 21610 to an unsubscribed recipient, a From not owned…), so a test can
 * count the requests that reached the carrier, not only the texts it created.
 */
export class Ledger {
  #entries: LedgerEntry[] = [];
  #refusals: RefusalEntry[] = [];

  refuse(entry: RefusalEntry): void {
    this.#refusals.push(entry);
  }

  refusals(filter: RefusalQuery = {}): { refusals: RefusalEntry[]; total: number } {
    const refusals = this.#refusals.filter(
      (entry) =>
        (filter.to === undefined || entry.to === filter.to) &&
        (filter.from === undefined || entry.from === filter.from),
    );
    return { refusals, total: refusals.length };
  }

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
    this.#refusals = [];
  }
}
