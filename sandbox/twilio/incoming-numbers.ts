import { createHash } from 'node:crypto';
import type { NumberBehaviour } from '../config.ts';
import { twilioError, type TwilioError } from './errors.ts';
import { rfc2822 } from './message.ts';

/**
 * The account's IncomingPhoneNumbers (`api.v2010.account.incoming_phone_number`): the
 * sandbox's numbers as Twilio lists them, with `sms_url` / `sms_method` a client may update.
 * A number's `sms_url` is its own `inboundUrl` (empty when it has none).
 */

/** `PN` + 32 hex digits, the same for a number of an account every time. */
export function incomingNumberSid(accountSid: string, phone: string): string {
  return `PN${createHash('sha256').update(`${accountSid}\u0000${phone}`).digest('hex').slice(0, 32)}`;
}

/** `+14155550123` → `(415) 555-0123`, as Twilio names a US number by default. */
function friendly(phone: string): string {
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone);
  return us ? `(${us[1]}) ${us[2]}-${us[3]}` : phone;
}

export function incomingNumberJson(
  accountSid: string,
  number: NumberBehaviour,
  createdAt: Date,
): Record<string, unknown> {
  const sid = incomingNumberSid(accountSid, number.phoneNumber);
  const uri = `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}.json`;
  const created = rfc2822(createdAt);
  return {
    account_sid: accountSid,
    address_requirements: 'none',
    address_sid: null,
    api_version: '2010-04-01',
    beta: false,
    bundle_sid: null,
    capabilities: {
      voice: number.voiceCapable,
      sms: number.smsCapable,
      mms: number.smsCapable,
      fax: false,
    },
    date_created: created,
    date_updated: created,
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    emergency_status: 'Inactive',
    friendly_name: number.friendlyName ?? friendly(number.phoneNumber),
    identity_sid: null,
    origin: 'twilio',
    phone_number: number.phoneNumber,
    sid,
    sms_application_sid: '',
    sms_fallback_method: 'POST',
    sms_fallback_url: '',
    sms_method: number.smsMethod,
    sms_url: number.inboundUrl ?? '',
    status: 'in-use',
    status_callback: '',
    status_callback_method: 'POST',
    subresource_uris: {
      assigned_add_ons: uri.replace(/\.json$/, '/AssignedAddOns.json'),
    },
    trunk_sid: null,
    uri,
    voice_application_sid: '',
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: null,
    voice_method: 'POST',
    voice_receive_mode: 'voice',
    voice_url: null,
  };
}

/** One page of the list in Twilio's shape (`Page`/`PageSize`, `PageToken` = `PA` + last SID). */
export function incomingNumbersPage(
  accountSid: string,
  numbers: readonly NumberBehaviour[],
  query: Readonly<Record<string, string>>,
  createdAt: (phone: string) => Date,
): Record<string, unknown> {
  const pageSize = Math.min(1000, Math.max(1, Math.floor(Number(query.PageSize ?? 50)) || 50));
  const page = Math.max(0, Math.floor(Number(query.Page ?? 0)) || 0);
  const wanted = query.PhoneNumber;
  const all = numbers
    .filter((number) => wanted === undefined || number.phoneNumber.includes(wanted))
    .map((number) => incomingNumberJson(accountSid, number, createdAt(number.phoneNumber)))
    .sort((a, b) => String(a.sid).localeCompare(String(b.sid)));
  let start = page * pageSize;
  const token = query.PageToken;
  if (token?.startsWith('PA') === true) {
    const after = all.findIndex((number) => number.sid === token.slice(2));
    if (after >= 0) start = after + 1;
  }
  const slice = all.slice(start, start + pageSize);
  const path = `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`;
  const uriFor = (pageNumber: number, pageToken?: string) => {
    const params = new URLSearchParams();
    if (wanted !== undefined) params.set('PhoneNumber', wanted);
    params.set('PageSize', String(pageSize));
    params.set('Page', String(pageNumber));
    if (pageToken !== undefined) params.set('PageToken', pageToken);
    return `${path}?${params.toString()}`;
  };
  const last = slice[slice.length - 1];
  const hasNext = start + slice.length < all.length && last !== undefined;
  return {
    incoming_phone_numbers: slice,
    end: start + Math.max(slice.length - 1, 0),
    first_page_uri: uriFor(0),
    next_page_uri: hasNext ? uriFor(page + 1, `PA${String(last.sid)}`) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? uriFor(page - 1) : null,
    start,
    uri: uriFor(page, token),
  };
}

export type UpdateResult =
  { ok: true; number: NumberBehaviour } | { ok: false; error: TwilioError };

/**
 * An update of `SmsUrl`, `SmsMethod` and `FriendlyName` (the other parameters are accepted and
 * ignored). An invalid URL is refused with 21502 as Twilio does; an empty one clears it.
 */
export function updateIncomingNumber(
  number: NumberBehaviour,
  params: Readonly<Record<string, string>>,
): UpdateResult {
  const next: NumberBehaviour = { ...number };
  const url = params.SmsUrl;
  if (url !== undefined) {
    if (url === '') delete next.inboundUrl;
    else if (!/^https?:\/\//i.test(url) || !URL.canParse(url))
      return { ok: false, error: twilioError(400, 21502, `SmsUrl is not valid: ${url}`) };
    else next.inboundUrl = url;
  }
  const method = params.SmsMethod?.toUpperCase();
  if (method !== undefined) {
    if (method !== 'GET' && method !== 'POST')
      return { ok: false, error: twilioError(400, 21501, `SmsMethod is not valid: ${method}`) };
    next.smsMethod = method;
  }
  if (params.FriendlyName !== undefined) next.friendlyName = params.FriendlyName.slice(0, 64);
  return { ok: true, number: next };
}
