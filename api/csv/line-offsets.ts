import { Transform } from 'node:stream';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Records where each physical line of the upload starts (a byte offset from the start of the
 * file, 0 for line 1), counting line breaks as the parser's line numbers do (`\r\n`, `\n` or
 * `\r`), so a rejection can say its byte as well as its line. Four bytes per line: meant for
 * suppression lists, not for audiences of millions of rows.
 */
export class LineOffsets {
  private starts = new Uint32Array(1024);
  private count = 1;
  private read = 0;
  private afterCr = false;

  /** A pass-through stream that watches the bytes going by. */
  stream(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.scan(chunk);
        callback(null, chunk);
      },
    });
  }

  /** The byte offset where `line` (1-based) starts, or null past the end. */
  byteOf(line: number): number | null {
    return line >= 1 && line <= this.count ? (this.starts[line - 1] ?? null) : null;
  }

  private scan(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === LF) {
        if (this.afterCr) this.setLast(this.read + i + 1);
        else this.push(this.read + i + 1);
        this.afterCr = false;
      } else if (byte === CR) {
        this.push(this.read + i + 1);
        this.afterCr = true;
      } else this.afterCr = false;
    }
    this.read += chunk.length;
  }

  private push(offset: number): void {
    if (this.count === this.starts.length) {
      const grown = new Uint32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = offset;
  }

  /** `\r\n` is one break: the line begins after the `\n`, not between the two. */
  private setLast(offset: number): void {
    this.starts[this.count - 1] = offset;
  }
}
