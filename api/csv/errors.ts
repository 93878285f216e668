export type CsvErrorCode =
  'csv_empty' | 'csv_not_utf8' | 'csv_no_header' | 'csv_no_phone_column' | 'csv_malformed';

/** A file tandem cannot read as a CSV audience; the API answers 400 with this code. */
export class CsvError extends Error {
  constructor(
    readonly code: CsvErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}
