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

/** Passes bytes through unchanged, failing with `csv_not_utf8` at the first invalid sequence. */
export function utf8Guard(): Transform {
  let carry: Buffer | undefined;
  let offset = 0;
  const fail = () =>
    new CsvError(
      'csv_not_utf8',
      `The file is not UTF-8 text (invalid bytes after byte ${offset}); export it as "CSV UTF-8"`,
      { byte: offset },
    );
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const bytes = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
      const tail = incompleteTail(bytes);
      const whole = tail === 0 ? bytes : bytes.subarray(0, bytes.length - tail);
      carry = tail === 0 ? undefined : bytes.subarray(bytes.length - tail);
      if (!isUtf8(whole)) return done(fail());
      offset += whole.length;
      done(null, whole);
    },
    flush(done: TransformCallback) {
      if (carry !== undefined) return done(fail());
      done();
    },
  });
}
