import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhoneTable, phoneKey } from '../../api/csv/phone-table.ts';

describe('PhoneTable', () => {
  it('maps numbers to values, tells new from repeats, across growth and clear', () => {
    const set = new PhoneTable();
    const phones = Array.from({ length: 200_000 }, (_, i) => `+1415${String(i).padStart(7, '0')}`);
    phones.forEach((phone, i) => expect(set.set(phone, i)).toBe(true));
    expect(set.size).toBe(phones.length);
    phones.forEach((phone, i) => expect(set.get(phone)).toBe(i));
    for (const phone of phones.slice(0, 1000)) expect(set.set(phone, 7)).toBe(false);
    expect(set.get('+14150000000')).toBe(7);
    expect(set.get('+14160000000')).toBeUndefined();
    expect(set.size).toBe(phones.length);
    set.clear();
    expect(set.size).toBe(0);
    expect(set.get('+14150000001')).toBeUndefined();
  });

  it('agrees with a Map of strings for any numbers up to 15 digits', () => {
    const e164 = fc
      .bigInt({ min: 1n, max: 999_999_999_999_999n })
      .map((digits) => `+${digits.toString()}`);
    fc.assert(
      fc.property(fc.array(e164, { maxLength: 300 }), (numbers) => {
        const set = new PhoneTable();
        const reference = new Map<string, number>();
        numbers.forEach((number, i) => {
          expect(set.set(number, i)).toBe(!reference.has(number));
          reference.set(number, i);
        });
        expect(set.size).toBe(reference.size);
        for (const [number, i] of reference) expect(set.get(number)).toBe(i);
        const inOrder: number[] = [];
        set.forEachInOrder((value) => inOrder.push(value));
        const byDigits = [...reference].sort(([a], [b]) => Number(BigInt(a) - BigInt(b)));
        expect(inOrder).toEqual(byDigits.map(([, i]) => i));
      }),
    );
  });

  it('keeps keys only when asked, and still tells new numbers from repeats', () => {
    const set = new PhoneTable(16, { keysOnly: true });
    const phones = Array.from({ length: 50_000 }, (_, i) => `+4420${String(i).padStart(8, '0')}`);
    for (const phone of phones) expect(set.setKey(phoneKey(phone), 1)).toBe(true);
    for (const phone of phones) expect(set.set(phone, 1)).toBe(false);
    expect(set.get(phones[123] ?? '')).toBe(1);
    expect(set.get('+4421000000000')).toBeUndefined();
    expect(set.size).toBe(phones.length);
  });

  it('refuses what is not E.164', () => {
    const set = new PhoneTable();
    expect(() => set.set('4155550123', 1)).toThrow(/E\.164/);
    expect(() => set.set('+1234567890123456789', 1)).toThrow(/E\.164/);
  });
});
