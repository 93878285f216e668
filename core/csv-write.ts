/**
 * One CSV record as RFC 4180 writes it: fields separated by commas, the line ended by CRLF; a
 * field holding a comma, a double quote, a line break or surrounding spaces is enclosed in
 * double quotes, with each quote inside doubled. Null is an empty field.
 */
export function csvRecord(fields: readonly (string | number | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
