import { CsvError as CsvParseError, parse, type Parser } from 'csv-parse';
import type { Delimiter } from './sniff.ts';

/**
 * Emitted after the last record when the file ends inside a quoted field. csv-parse names
 * the file's last line; the stage, which counts lines record by record, knows that the
 * unfinished record (the one whose quote never closed) starts right after the last one.
 */
export const UNCLOSED_QUOTE: readonly string[] = Object.freeze([]);

function newlinesIn(fields: readonly string[]): number {
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

/** An empty physical line: csv-parse (without `skip_empty_lines`) reads it as one empty field. */
export function isEmptyLine(fields: readonly string[]): boolean {
  return fields.length === 1 && fields[0] === '';
}

/**
 * Tells each record's start line, as a person sees it in an editor (header = 1), from the
 * records in file order: blank lines and the extra lines of quoted multi-line fields count.
 */
export function lineCounter(): (fields: readonly string[]) => number {
  let consumed = 0;
  return (fields) => {
    const line = consumed + 1;
    consumed += 1 + newlinesIn(fields);
    return line;
  };
}

/**
 * A streaming csv-parse parser emitting each record as its fields (`string[]`). Empty lines
 * come through as `['']` (see `isEmptyLine`) so that `lineCounter` can count them:
 * `skip_empty_lines` and `on_record` would make csv-parse build an info object per record,
 * a third of its time on large files. `onEnd` is called once the parser has read all its input.
 */
export function createCsvParser(delimiter: Delimiter, onEnd?: () => void): Parser {
  const parser = parse({
    delimiter,
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
  });
  const flush = parser._flush.bind(parser);
  parser._flush = (callback) =>
    flush((error) => {
      onEnd?.();
      if (error instanceof CsvParseError && error.code === 'CSV_QUOTE_NOT_CLOSED') {
        parser.push(UNCLOSED_QUOTE);
        return callback();
      }
      callback(error);
    });
  return parser;
}
