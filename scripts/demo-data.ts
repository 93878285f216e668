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

/** A CSV as operators export it: mixed formats, a duplicate, a bad row, a landline-ish typo. */
export function demoCsv(count: number): string {
  const lines = ['Phone Number,First Name,City'];
  for (let i = 0; i < count; i += 1) {
    const areaCode = DEMO_AREA_CODES[i % DEMO_AREA_CODES.length] ?? '415';
    const local = String(2_000_000 + i * 7).padStart(7, '0');
    const phone =
      i % 3 === 0
        ? `(${areaCode}) ${local.slice(0, 3)}-${local.slice(3)}`
        : `+1${areaCode}${local}`;
    lines.push(`${phone},${FIRST_NAMES[i % FIRST_NAMES.length]},Demo City`);
  }
  lines.push('not-a-number,Bad,Row');
  return `${lines.join('\n')}\n`;
}
