import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_EXAMPLES } from '../../api/openapi-examples/index.ts';
import { openApiDocument } from '../../scripts/client/openapi-document.ts';
import { draft7Schema } from '../support/openapi3-schema.ts';

type Media = { schema?: object; example?: unknown };
type Operation = {
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
};

describe('examples in the OpenAPI document', () => {
  let operations: { name: string; operation: Operation }[];
  let components: object;
  beforeAll(async () => {
    const document = (await openApiDocument()) as {
      paths: Record<string, Record<string, Operation>>;
      components?: object;
    };
    components = document.components ?? {};
    operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          name: `${method.toUpperCase()} ${path}`,
          operation,
        })),
      );
  });

  it('has a request and a success example for every /v1 operation', () => {
    const missing: string[] = [];
    for (const { name, operation } of operations) {
      const json = operation.requestBody?.content['application/json'];
      if (json !== undefined && json.example === undefined) missing.push(`${name} request`);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!status.startsWith('2')) continue;
        const media = Object.values(response.content ?? {})[0];
        if (media !== undefined && media.example === undefined) missing.push(`${name} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has no example for an operation, body or status the document lacks', () => {
    const byName = new Map(operations.map(({ name, operation }) => [name, operation]));
    const stale: string[] = [];
    for (const [name, examples] of Object.entries(OPERATION_EXAMPLES)) {
      const operation = byName.get(name);
      if (operation === undefined) {
        stale.push(name);
        continue;
      }
      if (examples.request !== undefined && !operation.requestBody?.content['application/json'])
        stale.push(`${name} request`);
      for (const status of Object.keys(examples.responses))
        if (operation.responses[status]?.content === undefined) stale.push(`${name} ${status}`);
    }
    expect(stale).toEqual([]);
  });

  it('gives examples that fit their schemas', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const wrong: string[] = [];
    const check = (where: string, media: Media | undefined) => {
      if (media?.example === undefined || media.schema === undefined) return;
      const validate = ajv.compile({ ...(draft7Schema(media.schema) as object), components });
      if (!validate(media.example)) wrong.push(`${where}: ${ajv.errorsText(validate.errors)}`);
    };
    for (const { name, operation } of operations) {
      check(`${name} request`, operation.requestBody?.content['application/json']);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status.startsWith('2'))
          check(`${name} ${status}`, response.content?.['application/json']);
      }
    }
    expect(wrong).toEqual([]);
  });
});
