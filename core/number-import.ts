import { detectNumberKind, type SmsNumberKind } from './number-kind.ts';

/**
 * Bringing an account's Twilio numbers into a pool: what to do with each listed number.
 * SMS-capable ones join the pool with their kind detected, and each gets the SMS webhook
 * (`sms_url` POST to tandem's inbound route) unless it has it already. A number in another
 * pool stays there (a number belongs to one pool); one that cannot send SMS is skipped.
 * Deciding twice on the same account gives the same answer, so a second import changes
 * nothing once the first has been carried out.
 */

/** An IncomingPhoneNumber as the import reads it. */
export interface ListedNumber {
  sid: string;
  phone: string;
  smsCapable: boolean;
  smsUrl: string | null;
  smsMethod: string | null;
}

export type ImportDecision =
  | { action: 'skip'; reason: 'not_sms_capable' | 'unknown_format' }
  | { action: 'in_other_pool'; poolId: string }
  | { action: 'add' | 'keep'; kind: SmsNumberKind; setWebhook: boolean };

export function webhookIsSet(number: ListedNumber, webhookUrl: string): boolean {
  return number.smsUrl === webhookUrl && (number.smsMethod ?? 'POST').toUpperCase() === 'POST';
}

/**
 * `owners`: the pool each phone already belongs to (live numbers of every pool), by phone.
 */
export function decideImport(
  number: ListedNumber,
  poolId: string,
  owners: ReadonlyMap<string, string>,
  webhookUrl: string,
): ImportDecision {
  if (!number.smsCapable) return { action: 'skip', reason: 'not_sms_capable' };
  const kind = detectNumberKind(number.phone);
  if (kind === null) return { action: 'skip', reason: 'unknown_format' };
  const owner = owners.get(number.phone);
  if (owner !== undefined && owner !== poolId) return { action: 'in_other_pool', poolId: owner };
  return {
    action: owner === poolId ? 'keep' : 'add',
    kind,
    setWebhook: !webhookIsSet(number, webhookUrl),
  };
}
