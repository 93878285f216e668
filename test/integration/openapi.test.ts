import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { invalidTypes, openApi3Structure } from '../support/openapi3-structure.ts';

interface Schema {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
}
interface Media {
  schema?: Schema;
}
interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
}
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
};

/** Every documented operation, as [method, path, operation]. */
function operations(doc: Document): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, string, Operation] => [
      method,
      path,
      operation,
    ]),
  );
}

function schemasOf(operation: Operation): Schema[] {
  const media = [
    ...Object.values(operation.requestBody?.content ?? {}),
    ...Object.values(operation.responses).flatMap((response) =>
      Object.values(response.content ?? {}),
    ),
  ];
  return media.flatMap((entry) => (entry.schema === undefined ? [] : [entry.schema]));
}

/** `get /v1/pools/{id}` for each route of Fastify's route tree (HEAD left out). */
function servedRoutes(tree: string): string[] {
  const stack: string[] = [];
  return tree.split('\n').flatMap((line) => {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) return [];
    stack.length = match[1].length / 4;
    stack.push(match[2]);
    const path = stack.join('').replace(/:(\w+)/g, '{$1}');
    return (match[3] ?? '')
      .split(', ')
      .filter((method) => method !== '' && method !== 'HEAD')
      .map((method) => `${method.toLowerCase()} ${path}`);
  });
}

describe('the OpenAPI document', () => {
  let api: TestApi;
  let doc: Document;
  beforeAll(async () => {
    api = await startTestApi();
    const response = await api.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    doc = response.json();
  });
  afterAll(async () => {
    await api.close();
  });

  it('is a structurally valid OpenAPI 3.0 document whose schemas use 3.0 types', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(openApi3Structure);
    expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const invalid = operations(doc).flatMap(([method, path, operation]) =>
      schemasOf(operation).flatMap((schema) => invalidTypes(schema, `${method} ${path}`)),
    );
    expect(invalid).toEqual([]);
    for (const [method, path, operation] of operations(doc)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), `${method} ${path}`).toEqual(names.sort());
    }
  });

  it('lists every route the API serves', () => {
    const routes = servedRoutes(api.app.printRoutes({ commonPrefix: false })).filter((route) =>
      /^\w+ \/(v1|webhooks)\//.test(route),
    );
    expect(routes.length).toBeGreaterThan(10);
    const documented = new Set(operations(doc).map(([method, path]) => `${method} ${path}`));
    expect(routes.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('declares the bearer key and the error responses of every /v1 operation', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const v1 = operations(doc).filter(([, path]) => path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(10);
    for (const [method, path, operation] of v1) {
      const where = `${method} ${path}`;
      expect(operation.security, where).toEqual([{ bearer: [] }]);
      // 403 insufficient_scope and 429 rate_limited can answer any of them (api/v1-access.ts).
      const expected = ['400', '401', '403', '429', '503'];
      if (path.includes('{')) expected.push('404');
      if (['post', 'put', 'patch'].includes(method)) expected.push('413', '415');
      for (const status of expected) {
        const schema = operation.responses[status]?.content?.['application/json']?.schema;
        expect(schema?.required, `${where} ${status}`).toEqual(['error']);
        expect(schema?.properties?.error?.required, `${where} ${status}`).toEqual([
          'code',
          'message',
          'details',
        ]);
      }
    }
    const create = doc.paths['/v1/campaigns']?.post;
    expect(create?.responses['422']?.content?.['application/json']).toBeDefined();
    expect(doc.paths['/v1/campaigns/{id}/launch']?.post?.responses['409']).toBeDefined();
  });

  it('declares the CSV upload body of POST /v1/audiences', () => {
    const content = doc.paths['/v1/audiences']?.post?.requestBody?.content;
    expect(content?.['text/csv']?.schema).toMatchObject({ type: 'string', format: 'binary' });
    expect(content?.['multipart/form-data']?.schema).toMatchObject({
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    });
  });

  it('documents the carrier webhooks: signature header, body and answers', () => {
    const cases = [
      ['/webhooks/twilio/status', 'x-twilio-signature', 'application/x-www-form-urlencoded'],
      ['/webhooks/twilio/inbound', 'x-twilio-signature', 'application/x-www-form-urlencoded'],
      ['/webhooks/blooio', 'x-blooio-signature', 'application/json'],
    ] as const;
    for (const [path, header, type] of cases) {
      const operation = doc.paths[path]?.post;
      expect(operation, path).toBeDefined();
      expect(operation?.security, path).toEqual([]);
      expect(operation?.parameters, path).toContainEqual(
        expect.objectContaining({ in: 'header', name: header, required: true }),
      );
      expect(operation?.requestBody?.content[type]?.schema?.properties, path).toBeDefined();
      expect(Object.keys(operation?.responses ?? {}).sort(), path).toEqual(
        expect.arrayContaining(['400', '403', '503']),
      );
    }
    expect(
      doc.paths['/webhooks/twilio/status']?.post?.requestBody?.content[
        'application/x-www-form-urlencoded'
      ]?.schema?.required,
    ).toEqual(['MessageSid', 'MessageStatus']);
    expect(doc.paths['/webhooks/twilio/inbound']?.post?.responses['200']?.content).toHaveProperty(
      'text/xml',
    );
  });

  it('names the sending window, and quiet_hours only as a deprecated alias', () => {
    const body = doc.paths['/v1/campaigns']?.post?.requestBody?.content['application/json']
      ?.schema as { properties: Record<string, { deprecated?: boolean }> };
    expect(body.properties.sending_window).toBeDefined();
    expect(body.properties.quiet_hours?.deprecated).toBe(true);
    expect(body.properties.max_segments).toBeDefined();
  });
});
