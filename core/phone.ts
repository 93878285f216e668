import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type ValidatePhoneNumberLengthResult,
} from 'libphonenumber-js/max';
import { callingCodeOf, callingCodePlan, type NumberType } from './phone-plan.ts';

export type { NumberType } from './phone-plan.ts';

/** Why a value cannot be a contact's phone number. */
export type PhoneRejectionReason =
  | 'missing'
  | 'unparseable'
  | 'too_short'
  | 'too_long'
  | 'invalid_for_country'
  | 'emergency_or_service'
  | 'toll_free'
  | 'premium_rate';

export interface Phone {
  /** `+14155550123` */
  e164: string;
  /** ISO 3166-1 alpha-2 (`US`), or `001` for non-geographic numbers. */
  country: string;
  /** `1` */
  callingCode: string;
  /** National significant number: `4155550123`. */
  nationalNumber: string;
  type: NumberType;
}

export type PhoneResult = { ok: true; phone: Phone } | { ok: false; reason: PhoneRejectionReason };

/** Emergency and N11 service numbers: 911, 112, 988 (crisis line), 999, 000, 110, 119, 211…811. */
const EMERGENCY_AND_SERVICE = new Set([
  '911',
  '112',
  '988',
  '999',
  '000',
  '110',
  '119',
  '211',
  '311',
  '411',
  '511',
  '611',
  '711',
  '811',
]);

export function isEmergencyOrServiceNumber(raw: string): boolean {
  return EMERGENCY_AND_SERVICE.has(raw.replace(/\D/g, ''));
}

/**
 * Normalises a phone number as people type it (`(415) 555-0123`, `415.555.0123`,
 * `+1 415 555 0123`, `14155550123`) to E.164, or says why it cannot be texted.
 * `defaultCountry` applies to numbers written without a `+` country code.
 */
export function normalisePhone(raw: string, defaultCountry: string): PhoneResult {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'missing' };
  const fast = fastNanp(text, defaultCountry);
  if (fast !== undefined) return fast;
  if (isEmergencyOrServiceNumber(text) && /^[\d\s\-.()]+$/.test(text)) {
    return { ok: false, reason: 'emergency_or_service' };
  }
  const key = `${defaultCountry}\u0000${text}`;
  const known = rejectedBefore.get(key);
  if (known !== undefined) return known;
  const result = slowPath(text, defaultCountry);
  if (!result.ok) {
    if (rejectedBefore.size >= REJECTED_CACHE_SIZE) rejectedBefore.clear();
    rejectedBefore.set(key, Object.freeze(result));
  }
  return result;
}

/**
 * Rejections from the slow path, by country and text: files repeat their junk (`n/a`,
 * `555-0100`, …) and libphonenumber takes ~30 µs to refuse each. Bounded; only frozen
 * `{ ok: false, reason }` results are shared.
 */
const rejectedBefore = new Map<string, PhoneResult>();
const REJECTED_CACHE_SIZE = 10_000;

const NANP_PLAN = callingCodePlan('1');

/**
 * The common case without libphonenumber's full parser: 10 digits (11 with a leading 1 or
 * `+1`) separated only by spaces, dashes, dots or parentheses. Anything else takes the slow
 * path; both give identical results (see test/unit/phone-plan.test.ts).
 */
function fastNanp(text: string, defaultCountry: string): PhoneResult | undefined {
  if (NANP_PLAN === undefined) return undefined;
  let digits = '';
  let plus = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += text[i];
    else if (c === 43 && i === 0) plus = true;
    else if (c !== 32 && c !== 45 && c !== 46 && c !== 40 && c !== 41) return undefined;
  }
  let nsn: string;
  if (plus) {
    if (digits.length !== 11 || digits[0] !== '1') return undefined;
    nsn = digits.slice(1);
  } else {
    if (callingCodeOf(defaultCountry) !== '1') return undefined;
    if (digits.length === 10 && digits[0] !== '0' && digits[0] !== '1') nsn = digits;
    else if (digits.length === 11 && digits[0] === '1' && digits[1] !== '0' && digits[1] !== '1') {
      nsn = digits.slice(1);
    } else return undefined;
  }
  const classified = NANP_PLAN.classify(nsn);
  if (classified === undefined) return { ok: false, reason: 'invalid_for_country' };
  return accept({
    e164: `+1${nsn}`,
    country: classified.country,
    callingCode: '1',
    nationalNumber: nsn,
    type: classified.type,
  });
}

function slowPath(text: string, defaultCountry: string): PhoneResult {
  const country = asCountryCode(defaultCountry);
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: country, extract: false });
  if (parsed === undefined || !parsed.isValid()) {
    const length = validatePhoneNumberLength(text, country);
    return { ok: false, reason: lengthReason(length, parsed === undefined) };
  }
  return accept({
    e164: parsed.number,
    country: parsed.country ?? '001',
    callingCode: parsed.countryCallingCode,
    nationalNumber: parsed.nationalNumber,
    type: parsed.getType() ?? 'FIXED_LINE_OR_MOBILE',
  });
}

function accept(phone: Phone): PhoneResult {
  switch (phone.type) {
    case 'TOLL_FREE':
      return { ok: false, reason: 'toll_free' };
    case 'PREMIUM_RATE':
    case 'SHARED_COST':
      return { ok: false, reason: 'premium_rate' };
    default:
      return { ok: true, phone };
  }
}

function lengthReason(
  result: ValidatePhoneNumberLengthResult | undefined,
  unparsed: boolean,
): PhoneRejectionReason {
  switch (result) {
    case 'TOO_SHORT':
      return 'too_short';
    case 'TOO_LONG':
      return 'too_long';
    case 'NOT_A_NUMBER':
    case 'INVALID_COUNTRY':
      return 'unparseable';
    case 'INVALID_LENGTH':
    case undefined:
      return unparsed ? 'unparseable' : 'invalid_for_country';
  }
}

function asCountryCode(country: string): CountryCode | undefined {
  const upper = country.toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
}
