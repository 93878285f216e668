/** Exhaustiveness guard for `switch` defaults: the compiler rejects any unhandled case. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
