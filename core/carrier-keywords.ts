/**
 * Twilio's default opt-out and opt-in keywords (the whole message, case-insensitive). For
 * these the carrier side blocks or unblocks the sender for that recipient and sends the
 * confirmation itself. YES is one of Twilio's opt-in keywords.
 */
export const TWILIO_OPT_OUT_KEYWORDS: ReadonlySet<string> = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
]);

export const TWILIO_OPT_IN_KEYWORDS: ReadonlySet<string> = new Set(['START', 'UNSTOP', 'YES']);

export type CarrierKeywordEffect = 'opt-out' | 'opt-in' | null;

export function carrierKeywordEffect(body: string): CarrierKeywordEffect {
  const word = body.trim().toUpperCase();
  if (TWILIO_OPT_OUT_KEYWORDS.has(word)) return 'opt-out';
  if (TWILIO_OPT_IN_KEYWORDS.has(word)) return 'opt-in';
  return null;
}
