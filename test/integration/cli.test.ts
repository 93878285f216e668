import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/services/temporal.ts';
import { startTestApi, TEST_API_KEY, type TestApi } from '../support/api.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'scripts', 'cli.ts'), ...args],
      {
        cwd: root,
        env: { ...process.env, ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run tandem -- audience import', () => {
  let api: TestApi;
  let port: number;
  beforeAll(async () => {
    api = await startTestApi();
    port = await freePort();
    await api.app.listen({ host: '127.0.0.1', port });
  });
  afterAll(async () => {
    await api.close();
  });

  it('streams a CSV file to the API and prints the counts and rejections', async () => {
    const file = path.join(root, 'test', 'fixtures', 'audiences', 'mixed.csv');
    const result = await runCli(['audience', 'import', file, '--name', 'from the terminal'], {
      API_PORT: String(port),
      API_KEY: TEST_API_KEY,
    });
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
    expect(printed.name).toBe('from the terminal');
    expect(printed.rows_read).toBeGreaterThan(0);
    const stored = await api.database.db
      .selectFrom('audiences')
      .selectAll()
      .where('id', '=', printed.id)
      .executeTakeFirstOrThrow();
    expect(stored.imported).toBe(printed.imported);
  });

  it('says how to use it when the command is unknown', async () => {
    const result = await runCli(['nope'], { API_PORT: String(port) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('audience import');
  });
});
