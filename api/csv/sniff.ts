import { Readable } from 'node:stream';
import { CsvError } from './errors.ts';

export type Delimiter = ',' | ';' | '\t';
const CANDIDATES: readonly Delimiter[] = [',', ';', '\t'];
const HEAD_LIMIT = 64 * 1024;

/** The delimiter used most often outside quotes on the first line; `,` when none is. */
export function detectDelimiter(firstLine: string): Delimiter {
  const counts = new Map<Delimiter, number>(CANDIDATES.map((d) => [d, 0]));
  let quoted = false;
  for (const char of firstLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === ',' || char === ';' || char === '\t')) {
      counts.set(char, (counts.get(char) ?? 0) + 1);
    }
  }
  let best: Delimiter = ',';
  for (const candidate of CANDIDATES) {
    if ((counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate;
  }
  return best;
}

async function* replay(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield head;
  for (;;) {
    const next = await rest.next();
    if (next.done === true) return;
    yield next.value;
  }
}

/**
 * Reads the start of `source` (up to the first line break), detects the delimiter, and
 * returns a stream that replays those bytes followed by the rest of `source`.
 */
export async function sniffCsv(
  source: Readable,
): Promise<{ delimiter: Delimiter; stream: Readable }> {
  const iterator: AsyncIterator<Buffer> = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(String(next.value));
    chunks.push(chunk);
    size += chunk.length;
    if (chunk.includes(10) || chunk.includes(13) || size >= HEAD_LIMIT) break;
  }
  const head = Buffer.concat(chunks);
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new CsvError('csv_empty', 'The file is empty');
  const firstLine = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  return {
    delimiter: detectDelimiter(firstLine),
    stream: Readable.from(replay(head, iterator), { objectMode: false }),
  };
}
