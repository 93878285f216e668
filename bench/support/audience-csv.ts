import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { normalisePhone } from '../../core/phone.ts';

/** Deterministic xorshift: the same file every run. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

const BAD = [
  '911',
  '12345',
  '(800) 555-0199',
  '900-555-0100',
  'n/a',
  '(123) 456-7890',
  '555-0100',
  '+1 415 555 01',
];
const NAMES = ['Ann', 'Bob', 'Chen', 'Dara', 'Eli', 'Fay', 'Gus', 'Hana'];
const CITIES = ['Austin', 'Boston', 'Denver', 'Fresno', 'Miami', 'Tulsa'];
const PLANS = ['free', 'gold', 'silver'];

function formats(nsn: string, pick: number): string {
  const [a, b, c] = [nsn.slice(0, 3), nsn.slice(3, 6), nsn.slice(6)];
  switch (pick % 5) {
    case 0:
      return `(${a}) ${b}-${c}`;
    case 1:
      return `${a}.${b}.${c}`;
    case 2:
      return `+1 ${a} ${b} ${c}`;
    case 3:
      return `1${nsn}`;
    default:
      return nsn;
  }
}

export interface Generated {
  rows: number;
  bad: number;
  duplicates: number;
  /** The accepted rows already normalised, as COPY text for the raw-COPY baseline. */
  normalisedFile: string;
}

/** Writes `rows` data lines: 5% bad numbers, 3% repeats of earlier numbers in another format. */
export async function writeAudienceCsv(file: string, rows: number): Promise<Generated> {
  const next = random(42);
  const csv = createWriteStream(file);
  const normalisedFile = `${file}.copy`;
  const copy = createWriteStream(normalisedFile);
  const recent: string[] = [];
  let bad = 0;
  let duplicates = 0;
  let csvBuffer = 'phone,first_name,last_name,email,city,plan\n';
  let copyBuffer = '';
  for (let i = 0; i < rows; i++) {
    const roll = next();
    const first = NAMES[i % NAMES.length] ?? 'Ann';
    const attrs = [
      first,
      `Lee${i}`,
      `user${i}@example.com`,
      CITIES[i % CITIES.length] ?? '',
      PLANS[i % 3] ?? '',
    ];
    let phone: string;
    if (roll < 0.05) {
      phone = BAD[Math.floor(next() * BAD.length)] ?? 'n/a';
      bad++;
    } else {
      let nsn: string | undefined;
      if (roll < 0.08 && recent.length > 0) {
        nsn = recent[Math.floor(next() * recent.length)];
        duplicates++;
      }
      while (nsn === undefined) {
        const candidate = String(2_000_000_000 + Math.floor(next() * 8_000_000_000));
        const result = normalisePhone(candidate, 'US');
        if (result.ok && result.phone.country === 'US') nsn = candidate;
      }
      if (recent.length < 10_000) recent.push(nsn);
      else recent[i % 10_000] = nsn;
      phone = formats(nsn, i + Math.floor(roll * 100));
      const json = JSON.stringify({
        first_name: attrs[0],
        last_name: attrs[1],
        email: attrs[2],
        city: attrs[3],
        plan: attrs[4],
      });
      copyBuffer += `${i + 2}\t+1${nsn}\tUS\t${nsn.slice(0, 3)}\tNY\tAmerica/New_York\t${json}\n`;
    }
    csvBuffer += `${phone},${attrs.join(',')}\n`;
    if (csvBuffer.length > 1 << 20) {
      if (!csv.write(csvBuffer)) await once(csv, 'drain');
      if (!copy.write(copyBuffer)) await once(copy, 'drain');
      csvBuffer = '';
      copyBuffer = '';
    }
  }
  csv.end(csvBuffer);
  copy.end(copyBuffer);
  await Promise.all([once(csv, 'finish'), once(copy, 'finish')]);
  return { rows, bad, duplicates, normalisedFile };
}
