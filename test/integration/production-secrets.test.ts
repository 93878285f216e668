import { describe, expect, it } from 'vitest';
import { startTsProcess } from '../../scripts/services/processes.ts';

const secrets = {
  API_KEY: 'a-production-key-of-our-own',
  TWILIO_ACCOUNT_SID: `AC${'d'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'a-production-auth-token',
  BLOOIO_API_KEY: 'a-production-blooio-key',
  BLOOIO_WEBHOOK_SECRET: 'a-production-webhook-secret',
};

/** Runs an entry point until it exits; its exit code and everything it wrote to stderr. */
async function runUntilExit(entry: string, env: Record<string, string>) {
  const running = startTsProcess(entry, entry, env, { quiet: true });
  let stderr = '';
  running.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => running.child.once('exit', resolve));
  return { code, stderr };
}

describe.concurrent('production refuses to start on public secrets', () => {
  it.each([
    ['api/main.ts', 'API_KEY', ''],
    ['api/main.ts', 'BLOOIO_WEBHOOK_SECRET', 'blooio-sandbox-webhook-secret'],
    ['worker/main.ts', 'TWILIO_AUTH_TOKEN', ''],
    ['worker/main.ts', 'TWILIO_ACCOUNT_SID', 'AC00000000000000000000000000000000'],
  ])('%s exits non-zero naming %s', async (entry, name, value) => {
    // An empty value counts as unset, and hides any value this test run inherited.
    const { code, stderr } = await runUntilExit(entry, {
      NODE_ENV: 'production',
      ...secrets,
      [name]: value,
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toMatch(new RegExp(`${name}: (must be set|is the public)`));
    if (value !== '') expect(stderr).not.toContain(value);
  });
});
