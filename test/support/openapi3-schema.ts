/**
 * An OpenAPI 3.0 schema object as ajv (JSON Schema draft-07) reads it. OpenAPI 3.0 keeps
 * draft-04's boolean `exclusiveMinimum` / `exclusiveMaximum` beside `minimum` / `maximum`;
 * draft-07 wants the bound itself there, and ajv refuses the boolean form. ajv knows `nullable`
 * for `type`, but an `enum` beside it must list null itself. Everything else is copied as it is.
 */
export function draft7Schema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(draft7Schema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = draft7Schema(value);
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] === true) out[flag] = out[bound];
    else delete out[flag];
    if (out[flag] !== undefined) delete out[bound];
  }
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) {
    out.enum = [...(out.enum as unknown[]), null];
  }
  return out;
}
