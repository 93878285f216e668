import { describe, expect, it } from 'vitest';
import { capEcho, capList } from '../../core/echo.ts';
import { firstInvalidByte } from '../../api/csv/utf8.ts';

describe('the first invalid UTF-8 byte', () => {
  it('is found at the start of the bad sequence', () => {
    expect(firstInvalidByte(Buffer.from('héllo', 'utf8'))).toBe(6);
    expect(firstInvalidByte(Buffer.from('h\xe9llo', 'latin1'))).toBe(1);
    expect(firstInvalidByte(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong "/"
    expect(firstInvalidByte(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // a surrogate
    expect(firstInvalidByte(Buffer.from([0x61, 0x62, 0xe2, 0x82]))).toBe(2); // cut short
    expect(firstInvalidByte(Buffer.from('€ ok 😀', 'utf8'))).toBe(Buffer.byteLength('€ ok 😀'));
  });
});

describe('echoed text', () => {
  it('is cut with an ellipsis and its length', () => {
    expect(capEcho('short')).toBe('short');
    const long = capEcho('a'.repeat(1000));
    expect(long).toBe(`${'a'.repeat(200)}… (1000 characters)`);
  });

  it('lists what fits and counts the rest', () => {
    const columns = Array.from({ length: 5000 }, (_, i) => `column_${i}`);
    const text = capList(columns);
    expect(text.length).toBeLessThan(260);
    expect(text).toMatch(/^column_0, column_1, .* … and \d+ more$/);
    expect(capList(['a', 'b'])).toBe('a, b');
  });
});
