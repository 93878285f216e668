import { TWILIO_OPT_OUT_KEYWORDS } from './carrier-keywords.ts';

/**
 * Classifies an inbound reply. Text is compared after normalising: upper case, apostrophes
 * dropped ("don't" → DONT), every other non-letter/digit turned into a space.
 *
 * Rules, first match wins:
 * 1. opt_out — (a) the message is only opt-out keywords (STOP, STOPALL, UNSUBSCRIBE,
 *    CANCEL, END, QUIT, REVOKE, OPTOUT, OPT OUT, UNSUB) plus filler words such as PLEASE,
 *    NOW, IT, ALL, THANKS ("Stop!", "STOP STOP", "stop it please", "Cancel."), or
 *    (b) it contains a natural revocation phrase ("stop texting me", "please stop",
 *    "remove me", "don't text me", "leave me alone", "unsubscribe", "opt me out" ...).
 *    A bare keyword inside a longer sentence does not count ("don't stop", "I can't stop
 *    smiling", "the end", "cancel my order"), and a STOP phrase directly preceded by a
 *    negation (DONT, NEVER, CANT ...) does not count either ("don't stop texting me").
 * 2. help — only HELP or INFO (plus fillers).
 * 3. opt_in — only START or UNSTOP (plus fillers); exactly YES too when YES is not one of
 *    the campaign's interested keywords.
 * 4. interested — the message is, or starts with, one of the campaign's interested
 *    keywords (default YES): "Yes", "yes please", "YES! tell me more". When the whole
 *    message is exactly YES the carrier also treats it as an opt-in, so `alsoOptIn` is
 *    true: the caller re-subscribes an opted-out contact first.
 * 5. other.
 */

export type ReplyClassification =
  | { kind: 'opt_out'; keyword: string }
  | { kind: 'opt_in'; keyword: string }
  | { kind: 'help'; keyword: string }
  | { kind: 'interested'; keyword: string; alsoOptIn: boolean }
  | { kind: 'other' };

export interface ClassifyOptions {
  /** Default ['YES']. Multi-word keywords match as a leading phrase. */
  interestedKeywords?: readonly string[];
}

const OPT_OUT: ReadonlySet<string> = new Set([...TWILIO_OPT_OUT_KEYWORDS, 'UNSUB']);
const HELP = new Set(['HELP', 'INFO']);
const OPT_IN = new Set(['START', 'UNSTOP']);
const FILLER = new Set([
  'PLEASE',
  'PLS',
  'PLZ',
  'NOW',
  'IT',
  'ALL',
  'ME',
  'THANKS',
  'THANK',
  'YOU',
  'THX',
  'TY',
  'OK',
  'OKAY',
  'ASAP',
  'JUST',
]);

const NEGATION = '(?<!\\b(?:DONT|DO NOT|NEVER|CANT|CANNOT|NOT|WONT) )';
const OPT_OUT_PHRASES: readonly RegExp[] = [
  `${NEGATION}\\bSTOP (?:TEXTING|TXTING|TEXT|MESSAGING|MESSAGE|SENDING|CONTACTING|SPAMMING|BOTHERING|CALLING)\\b`,
  `${NEGATION}\\bPLEASE STOP\\b`,
  '\\bSTOP PLEASE\\b',
  `${NEGATION}\\bUNSUBSCRIBE\\b`,
  '\\bOPT (?:ME )?OUT\\b',
  '\\bOPTOUT\\b',
  '\\bREMOVE (?:ME|MY NUMBER|THIS NUMBER)\\b',
  '\\bTAKE (?:ME|MY NUMBER|THIS NUMBER) OFF\\b',
  '\\b(?:DONT|DO NOT|NEVER) (?:TEXT|TXT|MESSAGE|CONTACT|SMS|CALL|EMAIL) (?:ME|US|THIS NUMBER|AGAIN)\\b',
  '\\bNO MORE (?:TEXTS|TEXT|TEXTING|MESSAGES|MSGS|SMS)\\b',
  '\\bLEAVE ME ALONE\\b',
  '\\b(?:LOSE|DELETE) MY NUMBER\\b',
].map((source) => new RegExp(source));

export function normaliseReply(body: string): string {
  return body
    .normalize('NFKC')
    .toUpperCase()
    .replace(/['’‘`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The single keyword a message consists of (ignoring fillers and repeats), if any. */
function soleKeyword(words: readonly string[], keywords: ReadonlySet<string>): string | null {
  const joined = words
    .join(' ')
    .replace(/\bOPT OUT\b/g, 'OPTOUT')
    .replace(/\bSTOP ALL\b/g, 'STOPALL');
  const meaningful = joined.split(' ').filter((w) => w !== '' && !FILLER.has(w));
  if (meaningful.length === 0 || !meaningful.every((w) => keywords.has(w))) return null;
  return meaningful[0] ?? null;
}

function leadingKeyword(text: string, keywords: readonly string[]): string | null {
  for (const keyword of keywords) {
    const k = normaliseReply(keyword);
    if (k !== '' && (text === k || text.startsWith(`${k} `))) return k;
  }
  return null;
}

export function classifyReply(body: string, options: ClassifyOptions = {}): ReplyClassification {
  const text = normaliseReply(body);
  const words = text === '' ? [] : text.split(' ');
  const optOut = soleKeyword(words, OPT_OUT);
  if (optOut !== null) return { kind: 'opt_out', keyword: optOut };
  const phrase = OPT_OUT_PHRASES.map((re) => re.exec(text)).find((m) => m !== null);
  if (phrase) return { kind: 'opt_out', keyword: phrase[0] };
  const help = soleKeyword(words, HELP);
  if (help !== null) return { kind: 'help', keyword: help };
  const optIn = soleKeyword(words, OPT_IN);
  if (optIn !== null) return { kind: 'opt_in', keyword: optIn };
  const interested = leadingKeyword(text, options.interestedKeywords ?? ['YES']);
  if (interested !== null)
    return { kind: 'interested', keyword: interested, alsoOptIn: text === 'YES' };
  if (text === 'YES') return { kind: 'opt_in', keyword: 'YES' };
  return { kind: 'other' };
}
