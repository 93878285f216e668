import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { lookupPhoneGeo } from '../phone-geo-data.ts';
import type { NumberKind } from '../../db/tables.ts';

export interface SenderGeo {
  areaCode: string | null;
  region: string | null;
}

/** Where a sender number is local to, for geomatch; toll-free and short codes are local nowhere. */
export async function senderGeography(phone: string, kind: NumberKind): Promise<SenderGeo> {
  if (kind === 'toll_free' || kind === 'short_code') return { areaCode: null, region: null };
  const parsed = parsePhoneNumberFromString(phone);
  if (parsed === undefined) return { areaCode: null, region: null };
  const geo = await lookupPhoneGeo(parsed.countryCallingCode, parsed.nationalNumber);
  return { areaCode: geo.areaCode, region: geo.region };
}
