import { normalisePhone } from '../core/phone.ts';
import { ApiError } from './errors.ts';

/** How a route names a contact: its id, or its phone in any common format. */
export type ContactKey = { id: string } | { phone: string };

/**
 * The ways `key` may name a contact, in the order to try them: digits only are a contact id
 * first, else a phone typed without "+"; anything else a phone. 400 when it is neither.
 */
export function contactKeys(key: string, defaultCountry: string): ContactKey[] {
  const phone = normalisePhone(key, defaultCountry);
  const keys: ContactKey[] = [];
  if (/^\d{1,18}$/.test(key)) keys.push({ id: key });
  if (phone.ok) keys.push({ phone: phone.phone.e164 });
  if (keys.length === 0)
    throw new ApiError(400, 'invalid_contact', `${key} is neither a contact id nor a phone`);
  return keys;
}

/** The first of `key`'s readings that `find` finds. */
export async function findByContactKey<T>(
  key: string,
  defaultCountry: string,
  find: (contact: ContactKey) => Promise<T | undefined>,
): Promise<T | undefined> {
  for (const contact of contactKeys(key, defaultCountry)) {
    const found = await find(contact);
    if (found !== undefined) return found;
  }
  return undefined;
}
