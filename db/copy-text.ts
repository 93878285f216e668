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
