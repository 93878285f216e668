import { jsonSchemaTransform } from 'fastify-type-provider-zod';
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
  const statuses = [400, 401, 503];
  if (url.includes(':')) statuses.push(404);
  if (methods.some((method) => ['POST', 'PUT', 'PATCH'].includes(method))) statuses.push(413, 415);
  statuses.push(...(EXTRA_STATUSES[`${methods.join(',')} ${url}`] ?? []));
  const response = isRecord(schema.response) ? schema.response : {};
  return {
    ...transformed,
    schema: {
      ...schema,
      ...(UPLOAD_BODIES[`${methods.join(',')} ${url}`] ?? {}),
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
  'POST /v1/conversations/:contact/messages': [403, 409, 422, 502],
  'POST /v1/contacts/:contact/opt-in': [409],
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
