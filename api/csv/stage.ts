import { Writable } from 'node:stream';
import { normalisePhone, type Phone } from '../../core/phone.ts';
import { geoOf, isGeoLoaded, loadGeo } from '../phone-geo-data.ts';
import { copyField } from '../../db/copy-text.ts';
import type { StageChunk } from '../../db/audiences.ts';
import { capEcho } from '../../core/echo.ts';
import { CsvError } from './errors.ts';
import { isEmptyLine, lineCounter, UNCLOSED_QUOTE } from './parser.ts';
import { PhoneTable, phoneKey } from './phone-table.ts';
import { resolveHeader, type CsvHeader } from './header.ts';

export interface StageStats {
  header: CsvHeader | undefined;
  rowsRead: number;
  accepted: number;
  rejected: number;
  /** The last line the records reached, once all are staged. */
  lastLine?: number;
  /** Where the quoted field that was never closed starts. */
  unclosedQuoteLine?: number;
}

const NO_FIELDS: readonly string[] = [];

export interface StageOptions {
  defaultCountry: string;
  phoneColumn?: string | undefined;
  /** Keep no other column: every row's attributes are `{}` (suppression lists). */
  phoneOnly?: boolean | undefined;
  /** End each contact row with the line it came from (suppression lists). */
  withLine?: boolean | undefined;
}

/** A chunk goes to PostgreSQL once it holds this many rows or this much COPY text. */
const CHUNK_ROWS = 25_000;
const CHUNK_BYTES = 4 * 1024 * 1024;
/** Records parsed between two turns of the event loop (~1 ms of work). */
const YIELD_EVERY = 128;

/**
 * Rows of the chunk in the making, as UTF-8 in a reused buffer: row strings die young
 * instead of piling up in the old generation until the chunk is sent (that garbage was most
 * of the API's peak RSS).
 */
class ChunkRows {
  private buffer: Buffer;
  private out: Buffer;
  /** The output of the chunk handed over before: PostgreSQL may still be reading it. */
  private previousOut: Buffer | undefined;
  private starts: number[] = [];
  bytes = 0;

  constructor(private readonly initialBytes: number) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
    this.out = Buffer.allocUnsafe(initialBytes);
  }

  /** Rows appended to this chunk, superseded ones included. */
  get count(): number {
    return this.starts.length;
  }

  append(text: string): number {
    const needed = Buffer.byteLength(text);
    if (this.bytes + needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.bytes + needed));
      this.buffer.copy(grown, 0, 0, this.bytes);
      this.buffer = grown;
    }
    this.starts.push(this.bytes);
    this.bytes += this.buffer.write(text, this.bytes);
    return this.starts.length - 1;
  }

  /**
   * The chunk as the given rows, in that order (rows left out were superseded). The output
   * buffer is recycled two chunks later: by then the stage function has resolved for the
   * next chunk, so this one is merged.
   */
  take(rows: ArrayLike<number>): Buffer {
    if (this.out.length < this.bytes) this.out = Buffer.allocUnsafe(this.bytes);
    let end = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] ?? 0;
      const start = this.starts[row] ?? this.bytes;
      end += this.buffer.copy(this.out, end, start, this.starts[row + 1] ?? this.bytes);
    }
    const data = this.out.subarray(0, end);
    const spare = this.previousOut;
    this.previousOut = this.out;
    this.out = spare ?? Buffer.allocUnsafe(this.initialBytes);
    this.starts = [];
    this.bytes = 0;
    return data;
  }
}

function isBlank(fields: readonly string[]): boolean {
  for (const field of fields) if (field.trim() !== '') return false;
  return true;
}

/**
 * `{"first_name":"Ann",…}` for one record, built as text: the keys are fixed per file, so
 * only the values need JSON-escaping (the same text `JSON.stringify` of the object gives).
 */
function attributesWriter(header: CsvHeader): (fields: readonly string[]) => string {
  const parts: { index: number; prefix: string }[] = [];
  header.attributeKeys.forEach((key, index) => {
    if (key === null) return;
    parts.push({ index, prefix: `${parts.length === 0 ? '{' : ','}${JSON.stringify(key)}:` });
  });
  if (parts.length === 0) return () => '{}';
  return (fields) => {
    let json = '';
    for (const { index, prefix } of parts)
      json += prefix + JSON.stringify((fields[index] ?? '').trim());
    return `${json}}`;
  };
}

/**
 * Turns CSV records (`string[]`, file order) into COPY text (see `StageChunk`): the first
 * non-empty record is the header; every later one becomes an accepted contact row or a
 * rejection (line, reason, value). Rows are handed to `send` in chunks; within a chunk the
 * last line of a phone number replaces the earlier ones (later chunks update the contact in
 * turn, so the last line in the file wins). The stream waits for
 * `send` before taking the next record after a full chunk: that is the backpressure, and
 * it lets PostgreSQL merge one chunk while the next is parsed.
 */
export function stageRecords(
  options: StageOptions,
  send: (chunk: StageChunk) => Promise<void>,
): { stream: Writable; stats: StageStats } {
  const stats: StageStats = { header: undefined, rowsRead: 0, accepted: 0, rejected: 0 };
  const lineOf = lineCounter();
  const looksLikeData = (cell: string) => normalisePhone(cell, options.defaultCountry).ok;
  let writeAttributes: (fields: readonly string[]) => string = () => '{}';
  const members = new ChunkRows(CHUNK_BYTES + 64 * 1024);
  const repeats = new ChunkRows(64 * 1024);
  /** The chunk's row of each phone (× 2, + 1 when it is a row of `members`). */
  const byPhone = new PhoneTable(CHUNK_ROWS);
  const inFile = new PhoneTable(1 << 16, { keysOnly: true });
  let rejections = '';

  function full(): boolean {
    return (
      members.count + repeats.count >= CHUNK_ROWS ||
      members.bytes + repeats.bytes + rejections.length >= CHUNK_BYTES
    );
  }

  /**
   * The chunk's live rows in phone order: PostgreSQL inserts them into the phone index
   * neighbour by neighbour instead of all over it (a fifth less time per row).
   */
  function take(): StageChunk | undefined {
    if (members.count === 0 && repeats.count === 0 && rejections === '') return undefined;
    const memberRows: number[] = [];
    const repeatRows: number[] = [];
    byPhone.forEachInOrder((value) => (value % 2 === 1 ? memberRows : repeatRows).push(value >> 1));
    const chunk = {
      members: members.take(memberRows),
      repeats: repeats.take(repeatRows),
      rejections: Buffer.from(rejections),
    };
    byPhone.clear();
    rejections = '';
    return chunk;
  }

  function accept(fields: readonly string[], phone: Phone, line: number): void {
    const geo = geoOf(phone.callingCode, phone.nationalNumber);
    stats.accepted++;
    // A phone's first chunk makes it a member; a line superseded within that chunk passes
    // the part on to the line that replaces it.
    const key = phoneKey(phone.e164);
    const earlier = byPhone.getKey(key);
    const member = earlier === undefined ? inFile.setKey(key, 1) : earlier % 2 === 1;
    const rows = member ? members : repeats;
    const text =
      `${phone.e164}\t${phone.country}\t${copyField(geo?.areaCode ?? null)}\t` +
      `${copyField(geo?.region ?? null)}\t${copyField(geo?.timeZone ?? null)}\t` +
      `${copyField(writeAttributes(fields))}${options.withLine === true ? `\t${line}` : ''}\n`;
    byPhone.setKey(key, rows.append(text) * 2 + (member ? 1 : 0));
  }

  /** Stages one record; a promise only when the number's geo tables must load first. */
  function stage(fields: readonly string[]): Promise<void> | undefined {
    const line = lineOf(fields);
    if (fields === UNCLOSED_QUOTE) {
      stats.unclosedQuoteLine = line;
      throw new CsvError(
        'csv_malformed',
        `The CSV is malformed: the quote opened on line ${line} is never closed (a field that starts with " must end with ")`,
        { line },
      );
    }
    if (isEmptyLine(fields)) return undefined;
    const header = stats.header;
    if (header === undefined) {
      stats.header = resolveHeader(fields, { phoneColumn: options.phoneColumn, looksLikeData });
      if (options.phoneOnly !== true) writeAttributes = attributesWriter(stats.header);
      return undefined;
    }
    if (isBlank(fields)) return undefined;
    stats.rowsRead++;
    const raw = fields[header.phoneIndex] ?? '';
    const result = normalisePhone(raw, options.defaultCountry);
    if (!result.ok) {
      stats.rejected++;
      rejections += `${line}\t${result.reason}\t${copyField(capEcho(raw.trim()))}\n`;
      return undefined;
    }
    const { phone } = result;
    if (isGeoLoaded(phone.callingCode)) {
      accept(fields, phone, line);
      return undefined;
    }
    return loadGeo(phone.callingCode).then(() => accept(fields, phone, line));
  }

  let sinceYield = 0;

  /**
   * After each record: hands a full chunk over, and waits for it before taking more. Every
   * few hundred records it yields to the event loop, so the COPY and merge of the previous
   * chunk are fed and answered while this one is parsed (without it, PostgreSQL waited on
   * this process for most of an import).
   */
  function next(callback: (error?: Error | null) => void): void {
    if (!full()) {
      if (++sinceYield < YIELD_EVERY) return callback();
      sinceYield = 0;
      setImmediate(callback);
      return;
    }
    const chunk = take();
    if (chunk === undefined) return callback();
    send(chunk).then(() => callback(), callback);
  }

  const stream = new Writable({
    objectMode: true,
    highWaterMark: 64,
    write(fields: string[], _encoding, callback) {
      let pending: Promise<void> | undefined;
      try {
        pending = stage(fields);
      } catch (error) {
        return callback(error as Error);
      }
      if (pending === undefined) return next(callback);
      pending.then(() => next(callback), callback);
    },
    final(callback) {
      stats.lastLine = lineOf(NO_FIELDS) - 1;
      const chunk = take();
      if (chunk === undefined) return callback();
      send(chunk).then(() => callback(), callback);
    },
  });
  return { stream, stats };
}
