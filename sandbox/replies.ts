import type { ReplyBehaviour } from './config.ts';
import { draw, pickLatency, pickWeighted } from './random.ts';

const FREE_TEXT = [
  'Who is this?',
  'Maybe later',
  'Tell me more',
  'Thanks, got it',
  'What is this about?',
];

export interface ReplyPlan {
  readonly body: string;
  readonly delayMs: number;
}

/**
 * Whether and how a recipient answers, chosen deterministically per recipient from the seed:
 * a `share` of recipients reply, their reply drawn from `mix` (`text` means free text, any other
 * key is the reply body itself). A per-recipient override (a body, or null for never) wins.
 */
export function planReply(
  behaviour: ReplyBehaviour,
  seed: string,
  recipient: string,
  override?: string | null,
): ReplyPlan | null {
  const delayMs = pickLatency(behaviour.delayMs, draw(seed, 'reply-delay', recipient));
  if (override !== undefined) return override === null ? null : { body: override, delayMs };
  if (draw(seed, 'reply', recipient) >= behaviour.share) return null;
  const kind = pickWeighted(behaviour.mix, draw(seed, 'reply-kind', recipient));
  if (kind === null) return null;
  if (kind !== 'text') return { body: kind, delayMs };
  const index = Math.floor(draw(seed, 'reply-text', recipient) * FREE_TEXT.length);
  return { body: FREE_TEXT[index] ?? 'Hello', delayMs };
}

/** Remembers who already answered whom, so a recipient replies once per pair. */
export class ReplyMemory {
  #seen = new Set<string>();

  /** True the first time for a pair (or always when `repeat`), false afterwards. */
  claim(sender: string, recipient: string, repeat: boolean): boolean {
    const key = `${sender}\u0000${recipient}`;
    if (this.#seen.has(key) && !repeat) return false;
    this.#seen.add(key);
    return true;
  }

  clear(): void {
    this.#seen.clear();
  }
}
