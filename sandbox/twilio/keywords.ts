/** Twilio's default opt-out and opt-in keywords (matched on the whole trimmed body). */
const OPT_OUT = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
]);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES']);

export type KeywordEffect = 'opt-out' | 'opt-in' | null;

export function keywordEffect(body: string): KeywordEffect {
  const word = body.trim().toUpperCase();
  if (OPT_OUT.has(word)) return 'opt-out';
  if (OPT_IN.has(word)) return 'opt-in';
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

  has(sender: string, recipient: string): boolean {
    return this.#blocked.has(`${sender}\u0000${recipient}`);
  }

  clear(): void {
    this.#blocked.clear();
  }
}
