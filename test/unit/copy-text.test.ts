import { describe, expect, it } from 'vitest';
import { withLeadingField } from '../../db/copy-text.ts';

describe('COPY text with a leading field', () => {
  it('puts the field before every line, the last one with or without its newline', () => {
    const text = (data: string) => withLeadingField(Buffer.from(data), 'id-1').toString();
    expect(text('3\tunparseable\tn/a\n7\ttoo_short\t12\\t3\n')).toBe(
      'id-1\t3\tunparseable\tn/a\nid-1\t7\ttoo_short\t12\\t3\n',
    );
    expect(text('3\tmissing\t')).toBe('id-1\t3\tmissing\t');
    expect(text('')).toBe('');
  });
});
