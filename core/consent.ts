/** Where a consent change came from. */
export const CONSENT_SOURCES = [
  'sms_keyword',
  'imessage_keyword',
  'carrier_21610',
  'operator',
  'suppression_import',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/**
 * Opt-outs that only the recipient can undo (by texting START): their own keyword, over either
 * channel, or their STOP as the carrier holds it (a 21610). An operator's or a suppression
 * list's opt-out is the sender's own decision, which an operator may take back.
 */
const RECIPIENT_SOURCES: ReadonlySet<ConsentSource> = new Set([
  'sms_keyword',
  'imessage_keyword',
  'carrier_21610',
]);

export type OperatorOptInDecision =
  { kind: 'unchanged' } | { kind: 'opt_in' } | { kind: 'refused'; source: ConsentSource | null };

/**
 * Whether an operator may opt a contact back in. `optOutSources`: the sources of every opt-out
 * recorded since the contact's last opt-in. An operator opt-in never overrides the person's own
 * STOP: one such opt-out among them refuses it; so does an opt-out with no record at all (made
 * before tandem kept one, so whose it was is unknown).
 */
export function operatorOptIn(
  optedOut: boolean,
  optOutSources: readonly ConsentSource[],
): OperatorOptInDecision {
  if (!optedOut) return { kind: 'unchanged' };
  const recipients = optOutSources.find((source) => RECIPIENT_SOURCES.has(source));
  if (recipients !== undefined) return { kind: 'refused', source: recipients };
  if (optOutSources.length === 0) return { kind: 'refused', source: null };
  return { kind: 'opt_in' };
}
