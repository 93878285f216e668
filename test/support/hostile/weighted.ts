import fc from 'fast-check';

/**
 * `fc.oneof` over the choices whose weight is above zero; each choice is built only if it can
 * be drawn (an empty `constantFrom` would throw).
 */
export function weighted<T>(
  ...choices: readonly (readonly [number, () => fc.Arbitrary<T>])[]
): fc.Arbitrary<T> {
  const live = choices
    .filter(([weight]) => weight > 0)
    .map(([weight, build]) => ({ weight, arbitrary: build() }));
  return fc.oneof(...live);
}
