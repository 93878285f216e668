import { readFile } from 'node:fs/promises';
import prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { generatedClientFiles, SCHEMA_FILE } from '../../scripts/client/generate.ts';

describe('the generated TypeScript client', () => {
  it('is generated from the current OpenAPI document (run `npm run client` after changing a route)', async () => {
    const { schema } = await generatedClientFiles();
    const options = await prettier.resolveConfig(SCHEMA_FILE);
    const expected = await prettier.format(schema, { ...options, filepath: SCHEMA_FILE });
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(expected);
  });
});
