import fc from 'fast-check';
import { JsonNumberText, JsonObject } from './json-text.ts';
import type { JsonSchema } from './operations.ts';
import { hostileKeys, hostileNumberText, hostileText, wrongType } from './values.ts';

/** Values that exist in the test's database, by field or parameter name (`audience_id`, `phone`). */
export type KnownValues = (name: string) => readonly string[] | undefined;

export interface SchemaContext {
  known: KnownValues;
  /** Out of 10: how often a field is hostile rather than valid. */
  hostility: number;
}

const MAX_DEPTH = 4;

/**
 * Values for a JSON schema, each field valid most of the time (known ids where the name says
 * what it refers to) and hostile otherwise, so a request gets past the first check often enough
 * to reach the code behind it.
 */
export function valueFor(
  schema: JsonSchema,
  context: SchemaContext,
  name = '',
  depth = 0,
): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(null);
  return fc.oneof(
    { weight: 10 - context.hostility, arbitrary: validFor(schema, context, name, depth) },
    { weight: context.hostility, arbitrary: hostileFor(schema, context, name, depth) },
  );
}

function validFor(
  schema: JsonSchema,
  context: SchemaContext,
  name: string,
  depth: number,
): fc.Arbitrary<unknown> {
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives !== undefined && alternatives.length > 0) {
    return fc.oneof(...alternatives.map((one) => validFor(one, context, name, depth)));
  }
  const value = validOfType(schema, context, name, depth);
  return schema.nullable === true ? fc.option(value, { nil: null, freq: 8 }) : value;
}

function validOfType(
  schema: JsonSchema,
  context: SchemaContext,
  name: string,
  depth: number,
): fc.Arbitrary<unknown> {
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      return validString(schema, context.known(name));
    case 'integer':
      return fc.oneof(
        fc.integer({ min: lowerBound(schema, -1000), max: upperBound(schema, 1000) }),
        edges(schema),
      );
    case 'number':
      return fc.oneof(
        fc.double({ min: lowerBound(schema, -1000), max: upperBound(schema, 1000), noNaN: true }),
        edges(schema),
      );
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = schema.items ?? {};
      const minLength = schema.minItems ?? 0;
      return fc.array(valueFor(items, context, singular(name), depth + 1), {
        minLength,
        maxLength: Math.min(schema.maxItems ?? 3, minLength + 3),
      });
    }
    case 'object':
    case undefined:
      return schema.properties === undefined
        ? fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 })
        : objectFor(schema, context, depth);
    default:
      return fc.constant(null);
  }
}

function validString(
  schema: JsonSchema,
  known: readonly string[] | undefined,
): fc.Arbitrary<string> {
  const fromSchema = (() => {
    if (schema.format === 'uuid') return fc.uuid();
    if (schema.format === 'date-time') {
      return (
        fc
          // In the future: a campaign's start_at must be.
          .date({
            min: new Date(Date.now() + 86_400_000),
            max: new Date('2031-01-01'),
            noInvalidDate: true,
          })
          .map((date) => date.toISOString())
      );
    }
    if (schema.format === 'uri') return fc.webUrl();
    if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
    const minLength = schema.minLength ?? 0;
    return fc.string({ minLength, maxLength: Math.min(schema.maxLength ?? 30, minLength + 30) });
  })();
  return known === undefined || known.length === 0
    ? fromSchema
    : fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...known) },
        { weight: 1, arbitrary: fromSchema },
      );
}

function objectFor(
  schema: JsonSchema,
  context: SchemaContext,
  depth: number,
): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const fields = properties.map(([key, property]) =>
    required.has(key)
      ? valueFor(property, context, key, depth + 1).map((value) => [[key, value] as const])
      : fc
          .option(valueFor(property, context, key, depth + 1), { nil: undefined, freq: 2 })
          .map((value) => (value === undefined ? [] : [[key, value] as const])),
  );
  return fc.tuple(...fields).map((entries) => new JsonObject(entries.flat()));
}

function hostileFor(
  schema: JsonSchema,
  context: SchemaContext,
  name: string,
  depth: number,
): fc.Arbitrary<unknown> {
  const numeric = schema.type === 'integer' || schema.type === 'number';
  const options: fc.Arbitrary<unknown>[] = [wrongType, hostileText];
  if (numeric) options.push(hostileNumberText.map((text) => new JsonNumberText(text)));
  if (schema.type === 'array') {
    options.push(
      fc.constantFrom(1_000, 20_000).map((length) => Array.from({ length }, () => 'x')),
      fc.array(hostileText, { minLength: 1, maxLength: 3 }),
    );
  }
  if (schema.properties !== undefined) options.push(objectWithExtras(schema, context, depth));
  if ((schema.required ?? []).length > 0) {
    options.push(objectMissingRequired(schema, context, depth));
  }
  if (name !== '' && context.known(name) !== undefined) {
    options.push(fc.constantFrom(...(context.known(name) ?? [])).map((value) => `${value}x`));
  }
  return fc.oneof(...options);
}

function objectWithExtras(schema: JsonSchema, context: SchemaContext, depth: number) {
  return fc
    .tuple(
      objectFor(schema, context, depth),
      fc.array(fc.tuple(hostileKeys, fc.oneof(wrongType, hostileText)), {
        minLength: 1,
        maxLength: 3,
      }),
    )
    .map(([object, extras]) => new JsonObject([...(object as JsonObject).entries, ...extras]));
}

function objectMissingRequired(schema: JsonSchema, context: SchemaContext, depth: number) {
  const required = schema.required ?? [];
  return fc
    .tuple(objectFor(schema, context, depth), fc.subarray(required, { minLength: 1 }))
    .map(
      ([object, dropped]) =>
        new JsonObject((object as JsonObject).entries.filter(([key]) => !dropped.includes(key))),
    );
}

/** The schema's own bounds, uncapped: valid, and where arithmetic on them overflows. */
function edges(schema: JsonSchema): fc.Arbitrary<number> {
  const exclusive =
    typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const bounds = [
    schema.minimum,
    schema.maximum,
    exclusive === undefined ? undefined : exclusive + 1,
  ].filter((bound): bound is number => bound !== undefined && Number.isFinite(bound));
  return bounds.length === 0 ? fc.constantFrom(0, 1) : fc.constantFrom(...bounds);
}

function lowerBound(schema: JsonSchema, fallback: number): number {
  const exclusive = schema.exclusiveMinimum;
  if (typeof exclusive === 'number') return exclusive + 1;
  const minimum = schema.minimum ?? fallback;
  return Math.max(exclusive === true ? minimum + 1 : minimum, -1e9);
}

function upperBound(schema: JsonSchema, fallback: number): number {
  return Math.max(Math.min(schema.maximum ?? fallback, 1e9), lowerBound(schema, -fallback));
}

/** `suppression_list_ids` → `suppression_list_id`: what an array's items are named by. */
function singular(name: string): string {
  return name.endsWith('s') ? name.slice(0, -1) : name;
}
