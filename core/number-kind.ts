/**
 * What kind of sender a Twilio number is, from the number alone: a short code is 5–6 digits
 * (US and Canada; 3–8 elsewhere), a North American toll-free number has one of the toll-free
 * area codes, everything else in E.164 is a long code (10DLC in the US).
 */
export type SmsNumberKind = 'long_code' | 'toll_free' | 'short_code';

/** NANP toll-free area codes in service (8YY; 822, 880–887 and 889 are reserved). */
export const TOLL_FREE_AREA_CODES: readonly string[] = [
  '800',
  '833',
  '844',
  '855',
  '866',
  '877',
  '888',
];

const SHORT_CODE = /^\d{3,8}$/;
const NANP = /^\+1(\d{3})\d{7}$/;

export function detectNumberKind(phone: string): SmsNumberKind | null {
  const trimmed = phone.trim();
  if (SHORT_CODE.test(trimmed)) return 'short_code';
  if (!/^\+[1-9]\d{6,14}$/.test(trimmed)) return null;
  const nanp = NANP.exec(trimmed);
  if (nanp !== null && TOLL_FREE_AREA_CODES.includes(nanp[1] ?? '')) return 'toll_free';
  return 'long_code';
}
