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

function lineBreaksIn(bytes: Buffer, end = bytes.length): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at >= 0 && at < end; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

function hex(bytes: Buffer): string {
  return [...bytes]
    .map((byte) => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join(' ');
}

/**
 * Passes bytes through unchanged, failing with `csv_not_utf8` at the first invalid sequence,
 * named by its line (counted at LF, header = 1) and its byte offset in the file (from 0).
 * Counting line feeds is one `indexOf` per line, the only cost on the way through.
 */
export function utf8Guard(): Transform {
  let carry: Buffer | undefined;
  let offset = 0;
  let lines = 0;
  const fail = (bytes: Buffer, at: number) => {
    const line = lines + lineBreaksIn(bytes, at) + 1;
    const byte = offset + at;
    let end = at + 1;
    while (end < Math.min(at + 4, bytes.length) && ((bytes[end] ?? 0) & 0xc0) === 0x80) end++;
    const shown = bytes.subarray(at, end);
    return new CsvError(
      'csv_not_utf8',
      `The file is not UTF-8 text: invalid bytes ${hex(shown)} on line ${line} at byte ${byte}; export it as "CSV UTF-8"`,
      { line, byte },
    );
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const bytes = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
      const tail = incompleteTail(bytes);
      const whole = tail === 0 ? bytes : bytes.subarray(0, bytes.length - tail);
      carry = tail === 0 ? undefined : bytes.subarray(bytes.length - tail);
      if (!isUtf8(whole)) return done(fail(whole, firstInvalidByte(whole)));
      offset += whole.length;
      lines += lineBreaksIn(whole);
      done(null, whole);
    },
    flush(done: TransformCallback) {
      if (carry !== undefined) return done(fail(carry, firstInvalidByte(carry)));
      done();
    },
  });
}
