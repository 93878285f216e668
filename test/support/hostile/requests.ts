import fc from 'fast-check';
import { bodiesFor, type Body } from './bodies.ts';
import { plainText } from './json-text.ts';
import type { Operation, Parameter } from './operations.ts';
import { valueFor, type SchemaContext } from './schema-arbitrary.ts';
import { hostileText, RAW_URL_PIECES } from './values.ts';
import { weighted } from './weighted.ts';

export interface HostileRequest {
  method: string;
  /** Path and query exactly as sent (hostile escapes included). */
  url: string;
  headers: Record<string, string>;
  body: Body | undefined;
  /** Send it a second time with the same headers (an `Idempotency-Key` repeat). */
  repeat: boolean;
}

const encode = (value: string) => encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));

/** A path parameter: an existing id most of the time, else a hostile segment. */
function pathSegment(parameter: Parameter, resource: string, context: SchemaContext) {
  const known =
    context.known(`${resource}.${parameter.name}`) ?? context.known(parameter.name) ?? [];
  const valid = valueFor(parameter.schema ?? { type: 'string' }, { ...context, hostility: 0 });
  const hostile = context.hostility;
  return weighted<string>(
    [known.length > 0 ? 8 : 0, () => fc.constantFrom(...known).map(encode)],
    [2, () => valid.map((value) => encode(plainText(value)))],
    [hostile, () => hostileText.map((text) => encode(text.slice(0, 3_000)))],
    [hostile, () => fc.constantFrom('', ...RAW_URL_PIECES)],
    [hostile > 0 ? 1 : 0, () => fc.constantFrom(2_000, 20_000).map((n) => '9'.repeat(n))],
  );
}

/** A query parameter: left out, valid, hostile, repeated, or a raw malformed escape. */
function queryPairs(parameter: Parameter, context: SchemaContext) {
  const key = encode(parameter.name);
  const valued = valueFor(parameter.schema ?? { type: 'string' }, context, parameter.name).map(
    (value) =>
      [value]
        .flat()
        .map((one) => `${key}=${encode(plainText(one))}`)
        .join('&'),
  );
  const hostile = context.hostility > 0 ? 1 : 0;
  return weighted<string>(
    [parameter.required === true ? 0 : 4, () => fc.constant('')],
    [4, () => valued],
    [hostile, () => fc.constantFrom(...RAW_URL_PIECES).map((raw) => `${key}=${raw}`)],
    [hostile, () => fc.tuple(valued, valued).map(([a, b]) => `${a}&${b}`)],
    [hostile, () => fc.constant(`${key}[]=1&${key}[a]=2&${key}`)],
  );
}

const EXTRA_QUERY = fc.oneof(
  { weight: 20, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'unknown=1',
      '__proto__=x',
      'constructor[prototype]=1',
      '%zz=1',
      '&&&',
    ),
  },
  { weight: 1, arbitrary: fc.constant(`x=${'y'.repeat(20_000)}`) },
);

const IDEMPOTENCY_KEY = fc.oneof(
  { weight: 8, arbitrary: fc.uuid() },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'x'.repeat(256),
      'clé-é',
      "'; drop table idempotency_keys; --",
    ),
  },
);

/**
 * How hostile one request is, out of 10 for each of its parts: a third of the requests are
 * valid throughout (so the code behind the checks runs), the rest more or less broken.
 */
const HOSTILITY = fc.constantFrom(0, 0, 1, 2, 3, 5);

/** One request for an operation, every part drawn from its OpenAPI description. */
export function requestFor(
  operation: Operation,
  known: SchemaContext['known'],
  authorization: string,
): fc.Arbitrary<HostileRequest> {
  return HOSTILITY.chain((hostility) => requestAt(operation, { known, hostility }, authorization));
}

function requestAt(
  operation: Operation,
  context: SchemaContext,
  authorization: string,
): fc.Arbitrary<HostileRequest> {
  const segments = operation.path.split('/').map((segment, index, all) => {
    const match = /^\{(.+)\}$/.exec(segment);
    const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === match?.[1]);
    if (match === null || parameter === undefined) return fc.constant(segment);
    return pathSegment(parameter, all[index - 1] ?? '', context);
  });
  const query = operation.parameters
    .filter((parameter) => parameter.in === 'query')
    .map((parameter) => queryPairs(parameter, context));
  const takesKey = operation.method === 'POST';
  return fc
    .record({
      path: fc.tuple(...segments).map((parts) => parts.join('/')),
      query: fc.tuple(context.hostility > 0 ? EXTRA_QUERY : fc.constant(''), ...query),
      body: bodiesFor(operation.bodies, context),
      key: takesKey ? fc.option(IDEMPOTENCY_KEY, { freq: 2 }) : fc.constant(null),
    })
    .map(({ path, query, body, key }) => {
      const search = query.filter((pair) => pair !== '').join('&');
      const headers: Record<string, string> = { authorization };
      if (body?.contentType !== undefined) headers['content-type'] = body.contentType;
      if (key !== null) headers['idempotency-key'] = key;
      return {
        method: operation.method,
        url: search === '' ? path : `${path}?${search}`,
        headers,
        body,
        repeat: key !== null,
      };
    });
}
