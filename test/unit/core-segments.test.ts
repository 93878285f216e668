import { describe, expect, it } from 'vitest';
import { countSegments } from '../../core/segments.ts';

describe('countSegments', () => {
  it.each([
    ['', 'GSM-7', 1],
    ['a'.repeat(160), 'GSM-7', 1],
    ['a'.repeat(161), 'GSM-7', 2],
    ['a'.repeat(306), 'GSM-7', 2],
    ['a'.repeat(307), 'GSM-7', 3],
    ['é'.repeat(160), 'GSM-7', 1],
    ['€'.repeat(80), 'GSM-7', 1],
    ['€'.repeat(81), 'GSM-7', 2],
    ['ç'.repeat(70), 'UCS-2', 1],
    ['ç'.repeat(71), 'UCS-2', 2],
    ['ç'.repeat(134), 'UCS-2', 2],
    ['ç'.repeat(135), 'UCS-2', 3],
    ['😀'.repeat(35), 'UCS-2', 1],
    ['😀'.repeat(36), 'UCS-2', 2],
  ] as const)('%#: %s.length=%s → %s, %i segment(s)', (body, encoding, segments) => {
    expect(countSegments(body)).toMatchObject({ encoding, segments });
  });

  it('counts extension characters as two septets', () => {
    expect(countSegments('[x]')).toEqual({
      encoding: 'GSM-7',
      segments: 1,
      characters: 3,
      units: 5,
    });
  });

  it('never splits an escape sequence across parts', () => {
    // 152 plain septets then "€": 154 septets fit no single 153-septet part whole.
    expect(countSegments(`${'a'.repeat(152)}€${'a'.repeat(10)}`).segments).toBe(2);
    expect(countSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`).segments).toBe(3);
  });

  it('never splits a surrogate pair across parts', () => {
    // 66 units + an emoji (2 units) cannot share a 67-unit part.
    expect(countSegments(`${'ç'.repeat(66)}😀${'ç'.repeat(66)}`).segments).toBe(3);
    expect(countSegments('😀'.repeat(36))).toMatchObject({ characters: 36, units: 72 });
  });

  it('switches to UCS-2 for a single non-GSM character', () => {
    expect(countSegments(`Reply YES to learn more ${'x'.repeat(60)} ’`)).toMatchObject({
      encoding: 'UCS-2',
      segments: 2,
    });
  });
});
