import { describe, expect, it } from 'vitest';
import { CsvRowCounter } from '../../scripts/cli/csv-rows.ts';

const count = (...chunks: string[]) => {
  const counter = new CsvRowCounter();
  for (const chunk of chunks) counter.push(Buffer.from(chunk));
  return counter.rows;
};

describe('CSV rows counted during an upload', () => {
  it('leaves out the header and counts a last line without a newline', () => {
    expect(count('phone\n+14155550123\n+14155550124')).toBe(2);
    expect(count('phone\r\n+14155550123\r\n')).toBe(1);
    expect(count('phone\n')).toBe(0);
    expect(count('')).toBe(0);
  });

  it('keeps a quoted newline inside its row, across chunk boundaries', () => {
    expect(count('phone,note\n1,"two\nlines"\n2,"say ""hi""\n', 'again"\n3,x\n')).toBe(3);
  });

  it('skips blank lines', () => {
    expect(count('phone\n\n1\n\r\n2\n\n')).toBe(2);
  });
});
