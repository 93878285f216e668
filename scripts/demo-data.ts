/** The demo's pool and audience: local numbers in a few US area codes, contacts spread over them. */

export const DEMO_POOL_NAME = 'Demo SMS pool';

export const DEMO_AREA_CODES = ['415', '212', '312', '206', '404'] as const;

export interface DemoNumber {
  phone: string;
  kind: 'long_code' | 'toll_free';
  mps: number;
  deliveryRate: number;
  errorMix?: Record<string, number>;
}

export function demoNumbers(): DemoNumber[] {
  const local = DEMO_AREA_CODES.flatMap((areaCode, i) => [
    {
      phone: `+1${areaCode}5550${100 + i * 2}`,
      kind: 'long_code' as const,
      mps: 10,
      deliveryRate: 0.97,
    },
    {
      phone: `+1${areaCode}5550${101 + i * 2}`,
      kind: 'long_code' as const,
      mps: 10,
      deliveryRate: 0.95,
    },
  ]);
  return [...local, { phone: '+18885550100', kind: 'toll_free', mps: 30, deliveryRate: 0.98 }];
}

const FIRST_NAMES = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elena', 'Finn', 'Grace', 'Hugo', 'Iris', 'Jon'];

/** Where the demo's contacts live: the US area codes first, then places abroad. */
interface DemoPlace {
  name: string;
  timeZone: string;
  /** The contact's number for index `i` (unique per place). */
  phone(i: number): string;
}

const usPlace = (areaCode: string, timeZone: string): DemoPlace => ({
  name: `US ${areaCode}`,
  timeZone,
  phone: (i) => {
    const local = String(2_000_000 + i * 7).padStart(7, '0');
    return i % 3 === 0
      ? `(${areaCode}) ${local.slice(0, 3)}-${local.slice(3)}`
      : `+1${areaCode}${local}`;
  },
});

const US_PLACES: readonly DemoPlace[] = [
  usPlace('415', 'America/Los_Angeles'),
  usPlace('212', 'America/New_York'),
  usPlace('312', 'America/Chicago'),
  usPlace('206', 'America/Los_Angeles'),
  usPlace('404', 'America/New_York'),
];

// Mobile-shaped numbers for the sandbox; none is meant to reach a real person.
const ABROAD: readonly DemoPlace[] = [
  {
    name: 'London',
    timeZone: 'Europe/London',
    phone: (i) => `+447400${String(100_000 + (i % 900_000)).slice(-6)}`,
  },
  {
    name: 'Berlin',
    timeZone: 'Europe/Berlin',
    phone: (i) => `+4915123${String(i).padStart(6, '0')}`,
  },
  {
    name: 'Sydney',
    timeZone: 'Australia/Sydney',
    phone: (i) => `+61412${String(100_000 + i).slice(-6)}`,
  },
  {
    name: 'Tokyo',
    timeZone: 'Asia/Tokyo',
    phone: (i) => `+8190${String(10_000_000 + i).slice(0, 8)}`,
  },
  {
    name: 'São Paulo',
    timeZone: 'America/Sao_Paulo',
    phone: (i) => `+55119${String(80_000_000 + i)}`,
  },
];

function localHour(now: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' })
    .formatToParts(now)
    .find((part) => part.type === 'hour')?.value;
  return Number(hour);
}

/**
 * Where the demo texts now: the US area codes where it is daytime (09:00–20:00, inside the
 * legal 08:00–21:00 with room to finish), else places abroad where it is, so the demo runs at
 * any hour without texting anyone at night.
 */
export function demoPlaces(now: Date): { places: readonly DemoPlace[]; abroad: boolean } {
  const daytime = (place: DemoPlace) => {
    const hour = localHour(now, place.timeZone);
    return hour >= 9 && hour < 20;
  };
  const us = US_PLACES.filter(daytime);
  if (us.length > 0) return { places: us, abroad: false };
  const abroad = ABROAD.filter(daytime);
  return abroad.length > 0
    ? { places: abroad, abroad: true }
    : { places: US_PLACES, abroad: false };
}

/** A CSV as operators export it: mixed formats, a duplicate, a bad row, a landline-ish typo. */
export function demoCsv(count: number, places: readonly DemoPlace[] = US_PLACES): string {
  const lines = ['Phone Number,First Name,City'];
  for (let i = 0; i < count; i += 1) {
    const place = places[i % places.length] ?? US_PLACES[0];
    lines.push(
      `${place?.phone(i) ?? ''},${FIRST_NAMES[i % FIRST_NAMES.length]},${place?.name ?? ''}`,
    );
  }
  lines.push('not-a-number,Bad,Row');
  return `${lines.join('\n')}\n`;
}
