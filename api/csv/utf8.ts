import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { CsvError } from './errors.ts';

/** Bytes at the end of `chunk` that start a UTF-8 sequence the next chunk completes. */
function incompleteTail(chunk: Buffer): number {
  for (let back = 1; back <= Math.min(3, chunk.length); back++) {
    const byte = chunk[chunk.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

/** A lead byte's sequence length and the range of its second byte (RFC 3629 table 3-7). */
function ruleFor(lead: number): [length: number, low: number, high: number] | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf]; // no overlong forms
  if (lead === 0xed) return [3, 0x80, 0x9f]; // no UTF-16 surrogates
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f]; // nothing above U+10FFFF
  return undefined;
}

/** Length of the well-formed UTF-8 sequence at `at`, or 0 when there is none. */
function sequenceAt(bytes: Buffer, at: number): number {
  const lead = bytes[at] ?? 0;
  if (lead < 0x80) return 1;
  const rule = ruleFor(lead);
  if (rule === undefined) return 0;
  const [length, low, high] = rule;
  if (at + length > bytes.length) return 0;
  const second = bytes[at + 1] ?? 0;
  if (second < low || second > high) return 0;
  for (let i = 2; i < length; i++) if (((bytes[at + i] ?? 0) & 0xc0) !== 0x80) return 0;
  return length;
}

/** Index of the first byte that does not start a well-formed sequence (the error path only). */
export function firstInvalidByte(bytes: Buffer): number {
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceAt(bytes, at);
    if (length === 0) return at;
    at += length;
  }
  return bytes.length;
}

function hex(bytes: Buffer): string {
  return [...bytes]
    .map((byte) => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join(' ');
}

const isLineBreak = (byte: number | undefined) => byte === 10 || byte === 13;

/** The first invalid sequence of an upload: its offset in the file (from 0) and its bytes. */
export interface InvalidUtf8 {
  byte: number;
  bytes: string;
  /** No line break before it: it is on line 1 (the header). */
  onFirstLine: boolean;
  /** It is the first byte of a line. */
  startsLine: boolean;
}

export function notUtf8Error(invalid: InvalidUtf8, line: number, inQuotedField = false): CsvError {
  const where = inQuotedField
    ? `in the quoted field that starts on line ${line}`
    : `on line ${line}`;
  return new CsvError(
    'csv_not_utf8',
    `The file is not UTF-8 text: invalid bytes ${invalid.bytes} ${where} at byte ${invalid.byte}; export it as "CSV UTF-8"`,
    { line, byte: invalid.byte },
  );
}

/**
 * Passes bytes through unchanged up to the first invalid UTF-8 sequence, and ends the input
 * there: the parser and the stage read the file up to that point, so the stage's line count
 * names the line of the bad sequence (see ingest.ts) with no counting on the way through.
 * `invalid()` tells whether and where it stopped; the rest of the upload is drained unread.
 */
export function utf8Guard(): { stream: Transform; invalid: () => InvalidUtf8 | undefined } {
  let carry: Buffer | undefined;
  let offset = 0;
  let lastByte: number | undefined;
  let lineBreakSeen = false;
  let invalid: InvalidUtf8 | undefined;
  const stop = (bytes: Buffer, at: number) => {
    let end = at + 1;
    while (end < Math.min(at + 4, bytes.length) && ((bytes[end] ?? 0) & 0xc0) === 0x80) end++;
    const before = bytes.subarray(0, at);
    const previous = at > 0 ? bytes[at - 1] : lastByte;
    invalid = {
      byte: offset + at,
      bytes: hex(bytes.subarray(at, end)),
      onFirstLine: !lineBreakSeen && !before.includes(10) && !before.includes(13),
      startsLine: previous === undefined || isLineBreak(previous),
    };
  };
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (invalid !== undefined) return done();
      const bytes = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
      const tail = incompleteTail(bytes);
      const whole = tail === 0 ? bytes : bytes.subarray(0, bytes.length - tail);
      carry = tail === 0 ? undefined : bytes.subarray(bytes.length - tail);
      if (isUtf8(whole)) {
        offset += whole.length;
        if (whole.length > 0) lastByte = whole[whole.length - 1];
        // Only until the first line: a cost per chunk of the header's length, once.
        if (!lineBreakSeen) lineBreakSeen = whole.includes(10) || whole.includes(13);
        return done(null, whole);
      }
      const at = firstInvalidByte(whole);
      stop(whole, at);
      if (at > 0) this.push(whole.subarray(0, at));
      this.push(null);
      done();
    },
    flush(done: TransformCallback) {
      if (invalid === undefined && carry !== undefined) stop(carry, 0);
      done();
    },
  });
  return { stream, invalid: () => invalid };
}
