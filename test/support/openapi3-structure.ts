/**
 * The structure of an OpenAPI 3.0 document, as a JSON schema for ajv: the parts tandem's
 * document uses (paths, operations, parameters, bodies, responses, security), with the rules
 * of the specification that a generator can break (a response needs a description, a path
 * parameter must be required, status keys are codes or ranges). Not the whole specification.
 */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export const openApi3Structure = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.0\\.\\d+$' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: { title: { type: 'string' }, version: { type: 'string' } },
    },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: { $ref: '#/$defs/pathItem' },
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { type: 'object' } },
        securitySchemes: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['type'],
            properties: { type: { enum: ['apiKey', 'http', 'oauth2', 'openIdConnect'] } },
          },
        },
      },
    },
  },
  $defs: {
    pathItem: {
      type: 'object',
      propertyNames: { enum: [...METHODS, 'summary', 'description', 'servers', 'parameters'] },
      additionalProperties: { $ref: '#/$defs/operation' },
      properties: { summary: { type: 'string' }, description: { type: 'string' } },
    },
    operation: {
      type: 'object',
      required: ['responses'],
      properties: {
        summary: { type: 'string' },
        description: { type: 'string' },
        deprecated: { type: 'boolean' },
        parameters: { type: 'array', items: { $ref: '#/$defs/parameter' } },
        requestBody: {
          type: 'object',
          required: ['content'],
          properties: { required: { type: 'boolean' }, content: { $ref: '#/$defs/content' } },
        },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^([1-5](\\d\\d|XX)|default)$' },
          additionalProperties: { $ref: '#/$defs/response' },
        },
        security: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
    parameter: {
      type: 'object',
      required: ['name', 'in'],
      properties: {
        name: { type: 'string' },
        in: { enum: ['query', 'header', 'path', 'cookie'] },
        required: { type: 'boolean' },
        schema: { type: 'object' },
      },
      if: { properties: { in: { const: 'path' } } },
      then: { required: ['required'], properties: { required: { const: true } } },
    },
    response: {
      type: 'object',
      required: ['description'],
      properties: {
        description: { type: 'string' },
        content: { $ref: '#/$defs/content' },
        headers: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { schema: { type: 'object' } } },
        },
      },
    },
    content: {
      type: 'object',
      propertyNames: { pattern: '^[a-z]+/[a-z0-9.+-]+$' },
      additionalProperties: { type: 'object', properties: { schema: { type: 'object' } } },
    },
  },
} as const;

/** The `type` values an OpenAPI 3.0 schema may use (3.0 has no `null` type: `nullable`). */
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

/** Every `type` in the schemas of `node` that OpenAPI 3.0 does not have, with its location. */
export function invalidTypes(node: unknown, at = '#'): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => invalidTypes(item, `${at}/${i}`));
  if (typeof node !== 'object' || node === null) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (
      key === 'type' &&
      (typeof value !== 'string' || !TYPES.has(value)) &&
      !at.endsWith('/properties')
    )
      found.push(`${at}/type: ${JSON.stringify(value)}`);
    else found.push(...invalidTypes(value, `${at}/${key}`));
  }
  return found;
}
