import { capEcho, capList } from '../../core/echo.ts';
import { CsvError } from './errors.ts';

/** Column names recognised as the phone number, compared without case, spaces or `_`/`-`. */
const PHONE_NAMES = ['phone', 'phonenumber', 'mobile', 'cell', 'number'];

export interface CsvHeader {
  /** The header cells as written (trimmed). */
  columns: string[];
  phoneIndex: number;
  /** Attribute key for every column (`First Name` → `first_name`); null for the phone column. */
  attributeKeys: (string | null)[];
}

function comparable(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]+/g, '');
}

/** `First Name` → `first_name`: a key templates can use (`{{first_name}}`). */
export function attributeKey(name: string): string {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  return key === '' ? 'column' : key;
}

function uniqueKeys(names: string[], phoneIndex: number): (string | null)[] {
  const seen = new Set<string>();
  return names.map((name, index) => {
    if (index === phoneIndex) return null;
    const base = attributeKey(name === '' ? `column_${index + 1}` : name);
    let key = base;
    for (let n = 2; seen.has(key); n++) key = `${base}_${n}`;
    seen.add(key);
    return key;
  });
}

/**
 * Finds the phone column in the first record. `looksLikeData` tells a file without a header
 * (its first line already holds a phone number) from one whose header lacks a phone column.
 */
export function resolveHeader(
  cells: readonly string[],
  options: { phoneColumn?: string | undefined; looksLikeData: (cell: string) => boolean },
): CsvHeader {
  const columns = cells.map((cell) => cell.trim());
  const wanted =
    options.phoneColumn === undefined ? PHONE_NAMES : [comparable(options.phoneColumn)];
  const names = columns.map(comparable);
  let phoneIndex = -1;
  for (const name of wanted) {
    phoneIndex = names.indexOf(name);
    if (phoneIndex >= 0) break;
  }
  if (phoneIndex < 0) {
    if (columns.some((cell) => options.looksLikeData(cell))) {
      throw new CsvError(
        'csv_no_header',
        'The first line holds data, not column names: add a header line naming the columns (e.g. phone,first_name)',
        { line: 1 },
      );
    }
    const expected =
      options.phoneColumn === undefined
        ? 'phone, phone_number, mobile, cell or number'
        : `"${capEcho(options.phoneColumn)}"`;
    // A wide header is quoted back in part: the error stays a few hundred bytes.
    throw new CsvError(
      'csv_no_phone_column',
      `No phone column: expected ${expected}, found ${capList(columns)}`,
      { column_count: columns.length, columns: columns.slice(0, 20).map((name) => capEcho(name)) },
    );
  }
  return { columns, phoneIndex, attributeKeys: uniqueKeys(columns, phoneIndex) };
}
