/**
 * JSON values the test writes as text itself: an object may repeat a key or carry
 * `__proto__` (kept as entries, never assigned), and a number may be any text
 * (`1e309`, `9223372036854775808`), which JSON.stringify could not produce.
 */
export class JsonObject {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}

export class JsonNumberText {
  constructor(readonly text: string) {}
}

export function jsonText(value: unknown): string {
  if (value instanceof JsonNumberText) return value.text;
  if (value instanceof JsonObject) {
    return `{${value.entries.map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  return JSON.stringify(value) ?? 'null';
}

/** The value as one query, form or CSV value: text as it is, anything else as JSON text. */
export function plainText(value: unknown): string {
  return typeof value === 'string' ? value : jsonText(value);
}
