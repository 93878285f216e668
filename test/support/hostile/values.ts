import fc from 'fast-check';

/**
 * Hostile values, by where they go. Text is what a caller can put in a JSON string, a query
 * value or a CSV cell; `rawUrl` are URL pieces sent as they are (malformed escapes, encoded dots),
 * never escaped again; `numberText` are numbers as JSON text, including ones JSON.parse turns
 * into Infinity or loses precision on.
 */

const SQL = [
  "'; drop table campaigns; --",
  "' OR '1'='1",
  '" OR 1=1 --',
  '1; select pg_sleep(30)',
  '%',
  '_',
  '\\',
  "\\'",
  '$1',
  "E'\\x00'",
  '*/ union select * from api_keys /*',
];

const PATH = ['../', '../../etc/passwd', '..\\..\\', '/', '.', '..', '?', '#', '&', '=', ';'];

const CONTROL = [
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u0007\u001b[31m',
  '\r\n',
  '\t',
  '\u007f',
  '\u0085',
  '\u2028\u2029',
  '\u202e',
  '\ufeff',
  '\ufffe',
  '\ud800',
  '\udfff',
  '😀',
  '👩‍👩‍👧‍👦',
  'ﷺ',
  'e\u0301',
  '\u{10ffff}',
];

const NUMBERS_AS_TEXT = [
  '-1',
  '0',
  '-0',
  '1.5',
  '1e309',
  '-1e309',
  'NaN',
  'Infinity',
  '-Infinity',
  '2147483648',
  '4294967296',
  '9007199254740993',
  '9223372036854775807',
  '9223372036854775808',
  '99999999999999999999999',
  '0x10',
  ' 1',
  '1 ',
  '+1',
  '١٢٣',
  '',
];

const IDS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '3F1C9A52-5B7E-4C1D-9A0E-7D2B8C4E6F10',
  '3f1c9a52-5b7e-0c1d-9a0e-7d2b8c4e6f10',
  '3f1c9a52-5b7e-4c1d-9a0e-7d2b8c4e6f1',
  '{3f1c9a52-5b7e-4c1d-9a0e-7d2b8c4e6f10}',
  'key_000000000000000000000000',
];

/** Pieces of a URL sent without escaping: what a proxy or a careless client passes on. */
export const RAW_URL_PIECES = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%C0%AF',
  '%ff%fe',
  '%00',
  'a%00b',
  '%2e%2e',
  '%2e%2e%2f%2e%2e',
  '..%2f..%2f',
  '%252e%252e',
  '%u0000',
  '%0d%0aSet-Cookie:x=1',
  '%27%3B%20drop%20table%20campaigns%3B--',
] as const;

const huge = (length: number) =>
  fc.constantFrom('x', '9', 'é', '😀', '\u0000', "'").map((unit) => unit.repeat(length));

/** Text a careless or malicious caller sends in place of a proper value. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL),
  fc.constantFrom(...PATH),
  fc.constantFrom(...CONTROL),
  fc.constantFrom(...NUMBERS_AS_TEXT),
  fc.constantFrom(...IDS),
  fc.constantFrom(...RAW_URL_PIECES),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc
    .tuple(fc.constantFrom(...SQL, ...CONTROL), fc.string({ maxLength: 10 }))
    .map(([a, b]) => a + b),
  fc.constantFrom(300, 5_000, 70_000).chain(huge),
);

/** Numbers as JSON text: out of range, negative, fractional, and beyond what JSON.parse keeps. */
export const hostileNumberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '-1',
    '0',
    '-0',
    '0.5',
    '1e309',
    '-1e309',
    '2147483648',
    '-2147483649',
    '9007199254740993',
    '9223372036854775808',
    '1e21',
    '1.7976931348623157e308',
    '5e-324',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
);

/** A value of the wrong JSON type for any field. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constant([]),
  fc.constant({}),
  fc.constant(''),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** Keys that prototype pollution and lax parsers trip over. */
export const hostileKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  '',
  'id',
  'created_at',
  "'; drop table x; --",
  '\u0000',
  'x'.repeat(1000),
);
