import { carrierKeywordEffect } from '../../core/carrier-keywords.ts';

export type { CarrierKeywordEffect as KeywordEffect } from '../../core/carrier-keywords.ts';
/** The sandbox plays Twilio: the same default keywords block or unblock a sender. */
export const keywordEffect = carrierKeywordEffect;

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
