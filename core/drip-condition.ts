/**
 * When a drip step (after the first) goes to a contact, judged on their previous step's
 * message and their replies since the campaign first reached them.
 */
export const DRIP_CONDITIONS = [
  'all',
  'no_reply',
  'delivered_no_reply',
  'not_delivered',
  'replied',
] as const;

export type DripCondition = (typeof DRIP_CONDITIONS)[number];

export function isDripCondition(value: string): value is DripCondition {
  return (DRIP_CONDITIONS as readonly string[]).includes(value);
}
