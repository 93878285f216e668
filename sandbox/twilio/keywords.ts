/**
 * The sandbox plays Twilio, so it keeps Twilio's own keyword lists, written from Twilio's
 * documentation ("Twilio support for opt-out keywords (SMS STOP filtering)" and the Advanced
 * Opt-Out tutorial): by default, on long codes, these English single-word replies opt the sender
 * out for that recipient (error 21610 afterwards) or back in. They are deliberately not shared
 * with tandem's classifier (core/keywords.ts): a keyword tandem forgot is then caught by the
 * sandbox, not mirrored by it.
 */
export const TWILIO_DEFAULT_OPT_OUT: ReadonlySet<string> = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
]);

export const TWILIO_DEFAULT_OPT_IN: ReadonlySet<string> = new Set(['START', 'UNSTOP', 'YES']);

export type KeywordEffect = 'opt-out' | 'opt-in' | null;

/** Only a message that is exactly one keyword counts (any case, surrounding spaces ignored). */
export function keywordEffect(body: string): KeywordEffect {
  const word = body.trim().toUpperCase();
  if (TWILIO_DEFAULT_OPT_OUT.has(word)) return 'opt-out';
  if (TWILIO_DEFAULT_OPT_IN.has(word)) return 'opt-in';
  return null;
}

/** Opt-outs per (sender, recipient): a STOP to a sender blocks that sender only. */
export class OptOuts {
  #blocked = new Set<string>();

  apply(sender: string, recipient: string, body: string): void {
    const effect = keywordEffect(body);
    const key = `${sender}\u0000${recipient}`;
    if (effect === 'opt-out') this.#blocked.add(key);
    if (effect === 'opt-in') this.#blocked.delete(key);
  }

  /** Blocks a pair as a STOP would (restoring saved opt-outs). */
  block(sender: string, recipient: string): void {
    this.#blocked.add(`${sender}\u0000${recipient}`);
  }

  /** Every blocked pair as [sender, recipient]. */
  entries(): [string, string][] {
    return [...this.#blocked].map((key) => {
      const [sender = '', recipient = ''] = key.split('\u0000');
      return [sender, recipient];
    });
  }

  has(sender: string, recipient: string): boolean {
    return this.#blocked.has(`${sender}\u0000${recipient}`);
  }

  clear(): void {
    this.#blocked.clear();
  }
}
