import { Transform, type TransformCallback } from 'node:stream';
import { normalisePhone, type Phone } from '../../core/phone.ts';
import { geoOf, isGeoLoaded, loadGeo } from '../../core/phone-geo-data.ts';
import { copyLine } from '../../db/copy-text.ts';
import { toCsvRecord, type CsvRecord } from './parser.ts';
import { resolveHeader, type CsvHeader } from './header.ts';

export interface StageStats {
  header: CsvHeader | undefined;
  rowsRead: number;
  accepted: number;
  rejected: number;
}

const FLUSH_AT = 256 * 1024;

function isBlank(fields: string[]): boolean {
  return fields.every((field) => field.trim() === '');
}

/**
 * Turns CSV records into COPY text for the `audience_staging` table: the first record is
 * the header; every later one becomes an accepted contact row or a rejection (line,
 * reason, value). Output is batched into large chunks; backpressure is the stream's.
 */
export function stageRecords(options: {
  defaultCountry: string;
  phoneColumn?: string | undefined;
}): {
  stream: Transform;
  stats: StageStats;
} {
  const stats: StageStats = { header: undefined, rowsRead: 0, accepted: 0, rejected: 0 };
  let pending = '';
  const looksLikeData = (cell: string) => normalisePhone(cell, options.defaultCountry).ok;

  function attributes(header: CsvHeader, fields: string[]): string {
    const values: Record<string, string> = {};
    const keys = header.attributeKeys;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key !== null && key !== undefined) values[key] = (fields[i] ?? '').trim();
    }
    return JSON.stringify(values);
  }

  function accept(header: CsvHeader, record: CsvRecord, phone: Phone): void {
    const geo = geoOf(phone.callingCode, phone.nationalNumber);
    stats.accepted++;
    pending += copyLine([
      record.line,
      phone.e164,
      phone.country,
      geo?.areaCode ?? null,
      geo?.region ?? null,
      geo?.timeZone ?? null,
      attributes(header, record.fields),
      null,
      null,
    ]);
  }

  function stage(record: CsvRecord, done: (error?: Error | null) => void): void {
    const header = stats.header;
    if (header === undefined) {
      stats.header = resolveHeader(record.fields, {
        phoneColumn: options.phoneColumn,
        looksLikeData,
      });
      return done();
    }
    if (isBlank(record.fields)) return done();
    stats.rowsRead++;
    const raw = record.fields[header.phoneIndex] ?? '';
    const result = normalisePhone(raw, options.defaultCountry);
    if (!result.ok) {
      stats.rejected++;
      pending += copyLine([
        record.line,
        null,
        null,
        null,
        null,
        null,
        null,
        result.reason,
        raw.trim(),
      ]);
      return done();
    }
    const { phone } = result;
    if (isGeoLoaded(phone.callingCode)) {
      accept(header, record, phone);
      return done();
    }
    loadGeo(phone.callingCode).then(() => {
      accept(header, record, phone);
      done();
    }, done);
  }

  const stream = new Transform({
    writableObjectMode: true,
    transform(row: string[], _encoding, callback: TransformCallback) {
      stage(toCsvRecord(row), (error) => {
        if (error) return callback(error);
        if (pending.length >= FLUSH_AT) {
          const chunk = pending;
          pending = '';
          return callback(null, chunk);
        }
        callback();
      });
    },
    flush(callback: TransformCallback) {
      callback(null, pending === '' ? undefined : pending);
    },
  });
  return { stream, stats };
}
