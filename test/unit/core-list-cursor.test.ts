import { describe, expect, it } from 'vitest';
import { decodeListCursor, encodeListCursor } from '../../core/list-cursor.ts';

describe('list cursors', () => {
  it('reads back what it wrote, with and without a time', () => {
    const timed = { atUs: '1765000000123456', id: '0b7a3c1e-1f2a-4c1b-9d7e-2f1a3b4c5d6e' };
    expect(decodeListCursor('campaigns', encodeListCursor('campaigns', timed))).toEqual(timed);
    const plain = { atUs: null, id: '42' };
    expect(decodeListCursor('contacts', encodeListCursor('contacts', plain))).toEqual(plain);
  });

  it("refuses another list's cursor and anything it did not write", () => {
    const cursor = encodeListCursor('audiences', { atUs: '1', id: '7' });
    expect(decodeListCursor('campaigns', cursor)).toBeNull();
    expect(decodeListCursor('campaigns', 'not a cursor')).toBeNull();
    expect(
      decodeListCursor('campaigns', Buffer.from('l1.campaigns.x.1').toString('base64url')),
    ).toBeNull();
    expect(
      decodeListCursor('contacts', Buffer.from("l1.contacts..1'; --").toString('base64url')),
    ).toBeNull();
  });
});
