import fc from 'fast-check';
import { jsonText, plainText } from './json-text.ts';
import type { JsonSchema } from './operations.ts';
import { valueFor, type SchemaContext } from './schema-arbitrary.ts';
import { hostileText } from './values.ts';

export interface Body {
  /** undefined: no Content-Type header. */
  contentType: string | undefined;
  payload: Buffer;
}

const text = (contentType: string | undefined, payload: string | Buffer): Body => ({
  contentType,
  payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
});

/** Nested arrays `depth` deep: within the body limit, deeper than any recursive walk survives. */
const deepJson = (depth: number, open: string, close: string, leaf: string) =>
  open.repeat(depth) + leaf + close.repeat(depth);

const BROKEN_JSON = fc.constantFrom(
  '',
  '{',
  '{"a":1,}',
  "{'a':1}",
  'null',
  '[]',
  '"text"',
  '1e309',
  '{"a":1}{"b":2}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"name":"a","name":"b"}',
  '\ufeff{}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"a":"\\x00"}',
);

/** A JSON body: the schema's value, broken JSON, deep nesting, a body over the limit, bad bytes. */
function jsonBodies(schema: JsonSchema, context: SchemaContext): fc.Arbitrary<Body> {
  const json = 'application/json';
  const broken = context.hostility > 0 ? 1 : 0;
  return fc.oneof(
    {
      weight: 12,
      arbitrary: valueFor(schema, context).map((value) => text(json, jsonText(value))),
    },
    { weight: 2 * broken, arbitrary: BROKEN_JSON.map((raw) => text(json, raw)) },
    {
      weight: 2 * broken,
      arbitrary: fc
        .tuple(fc.constantFrom(2_000, 20_000, 200_000), fc.boolean())
        .map(([depth, arrays]) =>
          text(json, arrays ? deepJson(depth, '[', ']', '1') : deepJson(depth, '{"a":', '}', '1')),
        ),
    },
    { weight: broken, arbitrary: fc.constant(text(json, `{"a":"${'x'.repeat(1_100_000)}"}`)) },
    {
      weight: broken,
      arbitrary: fc.constantFrom(
        text(json, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
        text('application/json; charset=utf-16le', Buffer.from('{"a":1}', 'utf16le')),
        text('text/plain', '{}'),
        text('application/xml', '<a/>'),
        text(undefined, '{}'),
        text('application/json, text/plain', '{}'),
        text('multipart/form-data', '{}'),
      ),
    },
  );
}

/** A form body (the carrier webhooks): the schema's fields, or malformed encoding. */
function formBodies(schema: JsonSchema, context: SchemaContext): fc.Arbitrary<Body> {
  const form = 'application/x-www-form-urlencoded';
  const broken = context.hostility > 0 ? 1 : 0;
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) =>
    fc
      .option(valueFor(property, context, name), { nil: undefined, freq: 3 })
      .map((value) => (value === undefined ? [] : [[name, plainText(value)] as const])),
  );
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(...fields)
        .map((pairs) =>
          text(
            form,
            new URLSearchParams(pairs.flat().map(([k, v]): [string, string] => [k, v])).toString(),
          ),
        ),
    },
    {
      weight: 2 * broken,
      arbitrary: fc
        .constantFrom(
          '%zz=1&a',
          'a=%E0%A4%A',
          '=&&=',
          '__proto__[x]=1',
          'a=%00',
          `a=${'x'.repeat(1_100_000)}`,
        )
        .map((raw) => text(form, raw)),
    },
    { weight: broken, arbitrary: fc.constant(text('application/json', '{"a":1}')) },
  );
}

const PHONE_CELL = fc.constantFrom('+14155550123', '4155550124', '+442071838750', 'Sam');

const CSV_CELL = fc.oneof(
  PHONE_CELL,
  fc.constantFrom('not a phone', ''),
  hostileText.map((cell) => cell.slice(0, 2_000)),
  fc.constantFrom("=cmd|' /C calc'!A0", '"unbalanced', 'a"b', '"a""b"', '\r', '\n'),
);

const validCsv = fc
  .array(fc.tuple(PHONE_CELL, PHONE_CELL), { minLength: 1, maxLength: 4 })
  .map((rows) => ['phone,first_name', ...rows.map((row) => row.join(','))].join('\n'));

const hostileCsv = fc
  .tuple(
    fc.constantFrom(
      'phone',
      'phone,first_name',
      'mobile;name',
      'number\tx',
      'name',
      '',
      '\ufeffphone',
    ),
    fc.array(fc.array(CSV_CELL, { minLength: 1, maxLength: 3 }), { maxLength: 5 }),
  )
  .map(([header, rows]) => [header, ...rows.map((row) => row.join(','))].join('\n'));

const BROKEN_CSV = fc.constantFrom(
  Buffer.from([0xff, 0xfe, 0x70, 0x00, 0x68, 0x00]),
  Buffer.from('phone\n\u0000\u0000\u0000\n'),
  Buffer.from('phone\n"+14155550123\n'),
  Buffer.from(`phone\n${'9'.repeat(200_000)}\n`),
  Buffer.from(`${Array.from({ length: 5_000 }, (_, i) => `c${i}`).join(',')}\n1\n`),
  Buffer.from([0x70, 0x68, 0x6f, 0x6e, 0x65, 0x0a, 0xc3, 0x28, 0x0a]),
);

/** A CSV file: well-formed with phones when the request is not hostile, else anything. */
const csvPayload = (context: SchemaContext): fc.Arbitrary<Buffer> =>
  context.hostility === 0
    ? validCsv.map((csv) => Buffer.from(csv))
    : fc.oneof(
        { weight: 4, arbitrary: hostileCsv.map((csv) => Buffer.from(csv)) },
        { weight: 1, arbitrary: BROKEN_CSV },
      );

/** A multipart form: the file and the schema's fields, or a form broken in one of many ways. */
function multipartBodies(schema: JsonSchema, context: SchemaContext): fc.Arbitrary<Body> {
  const fieldNames = Object.keys(schema.properties ?? {}).filter((name) => name !== 'file');
  const fields = fieldNames.map((name) =>
    fc
      .option(valueFor(schema.properties?.[name] ?? {}, context, name), { nil: undefined, freq: 3 })
      .map((value) => (value === undefined ? [] : [[name, plainText(value)] as const])),
  );
  return fc
    .tuple(
      csvPayload(context),
      fc.tuple(...fields).map((pairs) => pairs.flat()),
      context.hostility === 0
        ? fc.constant('well-formed')
        : fc.constantFrom(
            'well-formed',
            'well-formed',
            'no-file',
            'two-files',
            'truncated',
            'no-boundary',
            'wrong-boundary',
            'proto-field',
            'field-after-file',
          ),
      context.hostility === 0
        ? fc.constant('list.csv')
        : fc.constantFrom('list.csv', '../../etc/passwd', 'a\u0000.csv', '', 'é😀.csv'),
    )
    .map(([csv, pairs, shape, filename]) => multipart(csv, pairs, shape, filename));
}

function multipart(
  csv: Buffer,
  pairs: readonly (readonly [string, string])[],
  shape: string,
  filename: string,
): Body {
  const boundary = 'hostile-boundary-7MA4YWxkTrZu0gW';
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const file = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    csv,
    Buffer.from('\r\n'),
  ]);
  const fieldsText = pairs.map(([name, value]) => field(name, value)).join('');
  const end = Buffer.from(`--${boundary}--\r\n`);
  const parts = (() => {
    switch (shape) {
      case 'no-file':
        return [Buffer.from(fieldsText), end];
      case 'two-files':
        return [Buffer.from(fieldsText), file, file, end];
      case 'truncated':
        return [Buffer.from(fieldsText), file.subarray(0, Math.floor(file.length / 2))];
      case 'proto-field':
        return [Buffer.from(field('__proto__', 'x') + fieldsText), file, end];
      case 'field-after-file':
        return [file, Buffer.from(fieldsText), end];
      default:
        return [Buffer.from(fieldsText), file, end];
    }
  })();
  const contentType =
    shape === 'no-boundary'
      ? 'multipart/form-data'
      : shape === 'wrong-boundary'
        ? 'multipart/form-data; boundary=something-else'
        : `multipart/form-data; boundary=${boundary}`;
  return { contentType, payload: Buffer.concat(parts) };
}

/** Bodies for an operation's documented content types; undefined when it takes none. */
export function bodiesFor(
  bodies: Record<string, JsonSchema>,
  context: SchemaContext,
): fc.Arbitrary<Body | undefined> {
  const options: fc.Arbitrary<Body | undefined>[] = Object.entries(bodies).map(([type, schema]) => {
    if (type === 'application/json') return jsonBodies(schema, context);
    if (type === 'application/x-www-form-urlencoded') return formBodies(schema, context);
    if (type === 'multipart/form-data') return multipartBodies(schema, context);
    if (type === 'text/csv') return csvPayload(context).map((payload) => text('text/csv', payload));
    return fc.constant(text(type, ''));
  });
  if (options.length === 0) {
    // No body documented: none at all, or one the route must ignore or refuse.
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      {
        weight: context.hostility > 0 ? 1 : 0,
        arbitrary: fc.constantFrom(
          text('application/json', '{"unexpected":true}'),
          text('application/json', ''),
          text('text/csv', 'phone\n+14155550123\n'),
          text('application/json', deepJson(50_000, '[', ']', '1')),
        ),
      },
    );
  }
  return fc.oneof(...options);
}
