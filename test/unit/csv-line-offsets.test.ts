import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineOffsets } from '../../api/csv/line-offsets.ts';

/** Feeds `chunks` through the offsets' stream, as an upload would arrive. */
async function offsetsOf(chunks: readonly string[]): Promise<LineOffsets> {
  const offsets = new LineOffsets();
  await pipeline(
    Readable.from(chunks.map((chunk) => Buffer.from(chunk))),
    offsets.stream(),
    new Writable({ write: (_chunk, _encoding, callback) => callback() }),
  );
  return offsets;
}

describe('line offsets of an upload', () => {
  it('names the byte where each line starts, for LF, CRLF and CR breaks', async () => {
    const text = 'phone\n+1415\r\nbad\rlast';
    const offsets = await offsetsOf([text]);
    expect([1, 2, 3, 4].map((line) => offsets.byteOf(line))).toEqual([0, 6, 13, 17]);
    expect(text.slice(offsets.byteOf(4) ?? 0)).toBe('last');
    expect(offsets.byteOf(5)).toBeNull();
    expect(offsets.byteOf(0)).toBeNull();
  });

  it('reads a CRLF split between two chunks as one break', async () => {
    const offsets = await offsetsOf(['a\r', '\nb\r', '\r\nc']);
    // a\r\n b\r \r\n c: lines start at 0, 3 (b), 5 (empty line), 7 (c).
    expect([1, 2, 3, 4].map((line) => offsets.byteOf(line))).toEqual([0, 3, 5, 7]);
  });

  it('counts bytes, not characters', async () => {
    const offsets = await offsetsOf(['name\nZoë\nx']);
    expect(offsets.byteOf(3)).toBe(5 + Buffer.byteLength('Zoë\n'));
  });

  it('keeps up with many lines', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `+1415${i}`);
    const offsets = await offsetsOf([lines.join('\n')]);
    expect(offsets.byteOf(5000)).toBe(lines.slice(0, 4999).join('\n').length + 1);
  });
});
