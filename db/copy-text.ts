/** PostgreSQL COPY text format: `\N` is NULL; backslash, tab, newline and CR are escaped. */

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return SPECIAL.test(value) ? value.replace(SPECIALS, (char) => ESCAPES[char] ?? char) : value;
}

/** One COPY line (with its newline) from already-escaped or plain fields. */
export function copyLine(fields: readonly (string | number | null)[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] ?? null;
    line += (i === 0 ? '' : '\t') + (typeof field === 'number' ? String(field) : copyField(field));
  }
  return `${line}\n`;
}

/**
 * COPY text with `field` (plain, no characters to escape) put before every line's fields, as
 * the column COPY is told of first.
 */
export function withLeadingField(data: Buffer, field: string): Buffer {
  const prefix = Buffer.from(`${field}\t`);
  let lines = 0;
  for (let at = data.indexOf(0x0a); at >= 0; at = data.indexOf(0x0a, at + 1)) lines++;
  if (data.length > 0 && data[data.length - 1] !== 0x0a) lines++;
  const out = Buffer.allocUnsafe(data.length + lines * prefix.length);
  let written = 0;
  for (let start = 0; start < data.length;) {
    const newline = data.indexOf(0x0a, start);
    const end = newline < 0 ? data.length : newline + 1;
    written += prefix.copy(out, written);
    written += data.copy(out, written, start, end);
    start = end;
  }
  return out;
}
