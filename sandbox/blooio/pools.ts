import type { BlooioKey } from '../config.ts';

export type Selection =
  | { readonly ok: true; readonly number: string }
  | { readonly ok: false; readonly status: 403 | 503; readonly error: string };

export const POOL_ERRORS = {
  notOwned: 'This API key does not own the specified from_number',
  empty: 'No numbers assigned to this API key',
  emptyTwilio: 'No Twilio numbers assigned to this API key',
  unavailable: 'No active number available',
};

/**
 * Sender selection as Blooio documents it: Blooio keys rotate across available numbers for new
 * conversations and keep the same number per contact; Twilio keys take the first number.
 */
export class PoolSelector {
  #sticky = new Map<string, string>();
  #cursor = new Map<string, number>();

  /**
   * The number for this send. A pick from the rotation moves it on at once, as a round-robin
   * does; the contact keeps the number only once the send is accepted (`commit`).
   */
  choose(
    key: BlooioKey,
    unavailable: ReadonlySet<string>,
    contact: string,
    explicit: string | undefined,
  ): Selection {
    if (key.numbers.length === 0) {
      return fail(403, key.kind === 'twilio' ? POOL_ERRORS.emptyTwilio : POOL_ERRORS.empty);
    }
    if (explicit !== undefined) {
      if (!key.numbers.includes(explicit)) return fail(403, POOL_ERRORS.notOwned);
      return unavailable.has(explicit) ? fail(503, POOL_ERRORS.unavailable) : pick(explicit);
    }
    const available = key.numbers.filter((number) => !unavailable.has(number));
    if (available.length === 0) return fail(503, POOL_ERRORS.unavailable);
    if (key.kind === 'twilio') return pick(available[0] ?? '');
    const sticky = this.#sticky.get(`${key.key}\u0000${contact}`);
    if (sticky !== undefined && available.includes(sticky)) return pick(sticky);
    const cursor = this.#cursor.get(key.key) ?? 0;
    this.#cursor.set(key.key, cursor + 1);
    return pick(available[cursor % available.length] ?? '');
  }

  /** A send from `number` was accepted: a Blooio key's contact keeps that number. */
  commit(key: BlooioKey, contact: string, number: string): void {
    if (key.kind === 'blooio') this.remember(key.key, contact, number);
  }

  /** Makes `number` the contact's sticky sender for this key (also when the contact writes in). */
  remember(apiKey: string, contact: string, number: string): void {
    this.#sticky.set(`${apiKey}\u0000${contact}`, number);
  }

  /** Every remembered line as [API key, contact, number]. */
  entries(): [string, string, string][] {
    return [...this.#sticky].map(([key, number]) => {
      const [apiKey = '', contact = ''] = key.split('\u0000');
      return [apiKey, contact, number];
    });
  }

  clear(): void {
    this.#sticky.clear();
    this.#cursor.clear();
  }
}

function pick(number: string): Selection {
  return { ok: true, number };
}

function fail(status: 403 | 503, error: string): Selection {
  return { ok: false, status, error };
}
