import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDepth } from '../../api/json-depth.ts';

/** A JSON value nested exactly `depth` levels, objects and arrays mixed. */
const nested = (depth: number, shapes: readonly boolean[], leaf: unknown): unknown =>
  depth === 0
    ? leaf
    : shapes[depth % shapes.length]
      ? [nested(depth - 1, shapes, leaf)]
      : { key: nested(depth - 1, shapes, leaf) };

describe('jsonDepth', () => {
  it('counts the nesting of any JSON text, brackets inside strings not included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        fc.string({ unit: 'binary' }),
        (depth, shapes, text) => {
          expect(jsonDepth(JSON.stringify(nested(depth, shapes, text)))).toBe(depth);
        },
      ),
    );
  });

  it('reads escaped quotes and backslashes in strings as text', () => {
    expect(jsonDepth('{"a":"\\"[[[","b":"\\\\"}')).toBe(1);
    expect(jsonDepth('"[[[["')).toBe(0);
  });
});
