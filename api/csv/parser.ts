import { parse, type Parser } from 'csv-parse';
import type { Delimiter } from './sniff.ts';

/** One record and the line it starts on, as a person sees it in an editor (header = 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * The parser emits each record as its fields with the start line prepended (`['7', …]`):
 * csv-parse's typings only let `on_record` return string arrays.
 */
export function toCsvRecord(row: string[]): CsvRecord {
  return { line: Number(row[0]), fields: row.slice(1) };
}

function newlinesIn(fields: string[]): number {
  let count = 0;
  for (const field of fields) {
    if (field.length === 0) continue;
    let at = field.indexOf('\n');
    if (at < 0) {
      for (at = field.indexOf('\r'); at >= 0; at = field.indexOf('\r', at + 1)) count++;
      continue;
    }
    for (; at >= 0; at = field.indexOf('\n', at + 1)) count++;
  }
  return count;
}

/**
 * A streaming csv-parse parser (see `toCsvRecord`). Lines are physical lines: blank
 * lines and the extra lines of quoted multi-line fields count, so `line` is where the
 * record starts in the file.
 */
export function createCsvParser(delimiter: Delimiter): Parser {
  let consumed = 0;
  return parse({
    delimiter,
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    on_record: (fields: string[], context) => {
      const line = consumed + context.empty_lines + 1;
      consumed += 1 + newlinesIn(fields);
      fields.unshift(String(line));
      return fields;
    },
  });
}
