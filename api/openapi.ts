import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { requiredScope, SCOPE_DESCRIPTIONS } from '../core/api-keys.ts';
import { errorResponses } from './openapi-errors.ts';
import { WEBHOOK_DOCS } from './openapi-webhooks.ts';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type Transformed = ReturnType<typeof jsonSchemaTransform>;

/**
 * The OpenAPI transform: the routes' zod schemas as JSON schema, then what the schemas cannot
 * say, added the same way to every operation so no route can forget it: the bearer
 * requirement and error responses of `/v1`, the CSV upload body, and the carrier webhooks.
 */
export function openApiTransform(input: TransformInput): Transformed {
  const transformed = jsonSchemaTransform(input);
  const { url } = input;
  const schema: Record<string, unknown> = { ...transformed.schema };
  const webhook = WEBHOOK_DOCS[url];
  if (webhook !== undefined) {
    return { ...transformed, schema: { ...schema, ...webhook, hide: false, security: [] } };
  }
  if (!url.startsWith('/v1/')) return transformed;
  const methods = [input.route.method].flat();
  const statuses = [400, 401, 403, 429, 503];
  if (url.includes(':')) statuses.push(404);
  if (methods.some((method) => ['POST', 'PUT', 'PATCH'].includes(method))) statuses.push(413, 415);
  if (methods.includes('POST')) statuses.push(409, 422);
  statuses.push(...(EXTRA_STATUSES[`${methods.join(',')} ${url}`] ?? []));
  const response = isRecord(schema.response) ? schema.response : {};
  const scope = requiredScope(methods[0] ?? 'GET', url);
  const scopeLine = `Needs an API key with scope \`${scope}\` (or above: read < send < admin); \`${scope}\` allows ${SCOPE_DESCRIPTIONS[scope]}.`;
  return {
    ...transformed,
    schema: {
      ...schema,
      description:
        typeof schema.description === 'string'
          ? `${schema.description}\n\n${scopeLine}`
          : scopeLine,
      ...(UPLOAD_BODIES[`${methods.join(',')} ${url}`] ?? {}),
      ...(methods.includes('POST') ? { headers: withIdempotencyKey(schema.headers) } : {}),
      security: [{ bearer: [] }],
      response: {
        ...errorResponses(statuses),
        ...response,
        ...(STREAMED_RESPONSES[`${methods.join(',')} ${url}`] ?? {}),
      },
    },
  };
}

/** Statuses particular to a route, by `METHOD url`. */
const EXTRA_STATUSES: Readonly<Record<string, number[]>> = {
  'POST /v1/campaigns': [422],
  'POST /v1/campaigns/:id/launch': [409],
  'POST /v1/campaigns/:id/pause': [409],
  'POST /v1/campaigns/:id/resume': [409],
  'POST /v1/campaigns/:id/cancel': [409],
  'POST /v1/pools/:id/numbers': [409],
  'POST /v1/pools/:id/numbers/import': [409, 502],
  'POST /v1/conversations/:contact/messages': [403, 409, 422, 502],
  'POST /v1/contacts/:contact/opt-in': [409],
  'POST /v1/messages': [403, 404, 409],
  'PATCH /v1/campaigns/:id': [409, 422],
  'POST /v1/campaigns/:id/archive': [409],
  'DELETE /v1/audiences/:id': [409],
  'PATCH /v1/pools/:id/numbers/:phone': [409],
  'DELETE /v1/api-keys/:id': [409],
  'POST /v1/pools/:id/numbers/:phone/pause': [409],
  'POST /v1/pools/:id/numbers/:phone/resume': [409],
  'POST /v1/pools/:id/numbers/:phone/release': [409],
};

/** Answers a route streams (no zod `response`): documented here. */
const STREAMED_RESPONSES: Readonly<Record<string, Record<number, unknown>>> = {
  'GET /v1/consent-events.csv': {
    200: {
      description:
        'CSV, UTF-8, CRLF line ends, RFC 4180 quoting; a header line naming the columns of GET /v1/consent-events, then one line per event, oldest first',
      content: { 'text/csv': { schema: { type: 'string' } } },
    },
  },
};

const csvFields = {
  name: { type: 'string', description: 'Name of the audience (else the file name)' },
  phone_column: {
    type: 'string',
    description: 'Header of the phone column, when not phone/mobile/cell/number',
  },
  country: { type: 'string', description: 'Default country for numbers without +country code' },
};

/** A streamed CSV body (`text/csv`, or a multipart form with `file` and `fields`). */
const csvBody = (description: string, fields: Record<string, unknown>) => ({
  body: {
    content: {
      'text/csv': { schema: { type: 'string', format: 'binary', description } },
      'multipart/form-data': {
        schema: {
          type: 'object',
          required: ['file'],
          properties: {
            file: {
              type: 'string',
              format: 'binary',
              description: 'The CSV file (one per request)',
            },
            ...fields,
          },
        },
      },
    },
  },
});

/** Bodies a route reads as a stream (no zod `body`): documented here. */
const UPLOAD_BODIES: Readonly<Record<string, { body: unknown }>> = {
  'POST /v1/suppression-lists/:id/entries': csvBody(
    'UTF-8 CSV, header line first, with a phone column (other columns are ignored); `,`, `;` or tab separated',
    { phone_column: csvFields.phone_column, country: csvFields.country },
  ),
  'POST /v1/audiences': {
    body: {
      content: {
        'text/csv': {
          schema: {
            type: 'string',
            format: 'binary',
            description:
              'UTF-8 CSV, header line first (a phone column and any attributes); `,`, `;` or tab separated',
          },
        },
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: {
              file: {
                type: 'string',
                format: 'binary',
                description: 'The CSV file (one per request)',
              },
              ...csvFields,
            },
          },
        },
      },
    },
  },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const IDEMPOTENCY_KEY_HEADER = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  description:
    'Makes the request safe to retry: the first answer to a key is stored for 24 hours and ' +
    'replayed (with `Idempotent-Replayed: true`) for a repeat; the same key with a different ' +
    'request is a 422 `idempotency_key_reused`, a repeat while the first still runs a 409 ' +
    '`idempotency_key_in_use`.',
  examples: ['7f9c2ba4-e88f-4c8e-9a6b-1f3d2c4b5a60'],
};

/** Every POST under /v1 takes `Idempotency-Key`; a route's own description of it is kept. */
function withIdempotencyKey(headers: unknown): Record<string, unknown> {
  const base = isRecord(headers) ? headers : { type: 'object' };
  const properties = isRecord(base.properties) ? base.properties : {};
  const own = Object.keys(properties).some((name) => name.toLowerCase() === 'idempotency-key');
  return {
    ...base,
    type: 'object',
    properties: own ? properties : { ...properties, 'idempotency-key': IDEMPOTENCY_KEY_HEADER },
  };
}
