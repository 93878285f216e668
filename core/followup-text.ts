import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { renderTemplate } from './template.ts';

/** A phone as people write it in a message: `(415) 555-0101` for US numbers, else E.164. */
export function displayPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed === undefined) return e164;
  return parsed.countryCallingCode === '1' ? parsed.formatNational() : parsed.formatInternational();
}

/**
 * The hand-off message: the follow-up template rendered with the contact's attributes and
 * `{{followup_number}}` (or `{{number}}`: the contact's Blooio line, for "text us at ...").
 * A variable the contact lacks renders empty rather than blocking a hand-off.
 */
export function renderFollowup(
  template: string,
  attributes: Readonly<Record<string, string>>,
  number: string | null,
): string {
  const line =
    number === null ? {} : { number: displayPhone(number), followup_number: displayPhone(number) };
  const values = { ...attributes, ...line };
  // Every placeholder without a fallback gets an empty one.
  const lenient = template.replace(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g, '{{$1|""}}');
  const rendered = renderTemplate(lenient, values);
  const text = rendered.ok ? rendered.text : template;
  return text
    .replace(/ +([,.!?])/g, '$1')
    .replace(/ {2,}/g, ' ')
    .trim();
}
