import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/services/temporal.ts';
import { startTestApi, TEST_API_KEY, type TestApi } from '../support/api.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

interface CliRun {
  stdout: () => string;
  stderr: () => string;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** `scripts/cli.ts` as `npm run tandem` runs it; stdout and stderr are pipes (not a TTY). */
function startCli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'scripts', 'cli.ts'), ...args],
    { cwd: root, env: { ...process.env, ...env } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))),
  };
}

const runCli = (args: string[], env: Record<string, string>) => startCli(args, env).done;

describe('npm run tandem', () => {
  let api: TestApi;
  let env: Record<string, string>;
  let scratch: string;
  const post = async <T>(url: string, payload: unknown, contentType = 'application/json') => {
    const response = await api.app.inject({
      method: 'POST',
      url,
      headers: { ...api.auth, 'content-type': contentType },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json<T>();
  };
  const smsPool = (name: string) => post<{ id: string }>('/v1/pools', { name, provider: 'twilio' });
  const audience = () =>
    post<{ id: string }>(
      '/v1/audiences?name=cli',
      'phone,first_name\n+14155550123,Ann\n+12125550199,Bob\n',
      'text/csv',
    );

  beforeAll(async () => {
    api = await startTestApi();
    const port = await freePort();
    await api.app.listen({ host: '127.0.0.1', port });
    env = { API_PORT: String(port), API_KEY: TEST_API_KEY };
    scratch = await mkdtemp(path.join(tmpdir(), 'tandem-cli-'));
  });
  afterAll(async () => {
    await api.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('--help prints the usage of every command and exits 0', async () => {
    const result = await runCli(['--help'], env);
    expect(result.code).toBe(0);
    for (const command of [
      'audience import',
      'campaign create',
      'campaign launch',
      'campaign status',
      'pool add-number',
      'keys create',
      'keys list',
      'keys revoke',
    ])
      expect(result.stdout).toContain(command);
    const one = await runCli(['campaign', 'status', '--help'], env);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('campaign status CAMPAIGN_ID [--watch]');
  });

  it('says how to use it in one line, exit 2, when the command line is wrong', async () => {
    const wrong = [
      ['nope'],
      [],
      ['campaign', 'launch', '--bogus'],
      ['campaign', 'launch'],
      ['pool', 'add-number', 'my-pool', '+14155550123', '--mps', 'fast'],
    ];
    for (const args of wrong) {
      const result = await runCli(args, env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await runCli(['nope'], env)).stderr).toContain('audience import');
  });

  it('streams a CSV file to the API with progress in rows and bytes, and prints the counts', async () => {
    const file = path.join(root, 'test', 'fixtures', 'audiences', 'mixed.csv');
    const result = await runCli(
      ['audience', 'import', file, '--name', 'from the terminal', '--progress-every', '0'],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
    expect(printed.name).toBe('from the terminal');
    expect(printed.rows_read).toBeGreaterThan(0);
    // Not a TTY: plain lines, no bar's carriage returns; the last one has every row and byte.
    expect(result.stderr).not.toContain('\r');
    const lines = result.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(
      new RegExp(`^upload 100% [\\d.]+/[\\d.]+ MB, ${printed.rows_read} rows sent in`),
    );
    const stored = await api.database.db
      .selectFrom('audiences')
      .selectAll()
      .where('id', '=', printed.id)
      .executeTakeFirstOrThrow();
    expect(stored.imported).toBe(printed.imported);
  });

  it('prints a plain progress line periodically while a large file uploads', async () => {
    const file = path.join(scratch, 'large.csv');
    const rows = Array.from({ length: 60_000 }, (_, i) => `+1415${String(5_000_000 + i)},P${i}`);
    await writeFile(file, `phone,first_name\n${rows.join('\n')}\n`);
    const result = await runCli(['audience', 'import', file, '--progress-every', '0.001'], env);
    expect(result.code, result.stderr).toBe(0);
    const progress = result.stderr.split('\n').filter((line) => line.startsWith('upload '));
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toContain('60,000 rows');
  });

  it('keys create, list and revoke API keys; the secret is printed once and the key works', async () => {
    const created = await runCli(['keys', 'create', '--name', 'cli robot', '--scope', 'send'], env);
    expect(created.code, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout) as { id: string; key: string; scope: string };
    expect(key).toMatchObject({ scope: 'send', key: expect.stringMatching(/^tdm_/) });
    expect(created.stderr).toContain('shown this once');

    const listed = await runCli(['keys', 'list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    const line = listed.stdout.split('\n').find((row) => row.startsWith(key.id));
    expect(line).toMatch(/send\s+tdm_\S+\s+active\s+last used never\s+cli robot$/);
    expect(listed.stdout).toMatch(/admin\s+env:API_KEY\s+active/);
    expect(listed.stdout).not.toContain(key.key);

    // The new key works against the API, until it is revoked.
    const withKey = { ...env, API_KEY: key.key };
    expect((await runCli(['keys', 'list'], withKey)).stderr).toContain('403 insufficient_scope');
    const revoked = await runCli(['keys', 'revoke', key.id], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout).revoked_at).toEqual(expect.any(String));
    const refused = await runCli(
      ['campaign', 'status', '00000000-0000-0000-0000-000000000000'],
      withKey,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('401 unauthorized: This API key was revoked');

    const wrong = await runCli(['keys', 'create', '--name', 'x', '--scope', 'root'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--scope must be one of read, send, admin');
  });

  it('pool add-number adds a number to a pool given by name or id', async () => {
    const pool = await smsPool('cli numbers');
    const byName = await runCli(
      ['pool', 'add-number', 'cli numbers', '+14155550160', '--mps', '4'],
      env,
    );
    expect(byName.code, byName.stderr).toBe(0);
    expect(JSON.parse(byName.stdout)).toMatchObject({ phone: '+14155550160', mps: 4 });
    const byId = await runCli(['pool', 'add-number', pool.id, '+14155550161'], env);
    expect(byId.code, byId.stderr).toBe(0);
    const numbers = await api.database.db
      .selectFrom('sender_numbers')
      .select(['phone', 'mps'])
      .where('pool_id', '=', pool.id)
      .orderBy('phone')
      .execute();
    expect(numbers.map((n) => [n.phone, Number(n.mps)])).toEqual([
      ['+14155550160', 4],
      ['+14155550161', expect.any(Number)],
    ]);
    const refused = await runCli(['pool', 'add-number', pool.id, 'not-a-phone'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^tandem: POST \/v1\/pools\/\S+\/numbers: 400 invalid_request/);
  });

  it('campaign create from flags or a JSON file, launch, and status --watch until it ends', async () => {
    const [pool, members] = await Promise.all([smsPool('cli campaigns'), audience()]);
    // Launch refuses a pool with no number that could send.
    await post(`/v1/pools/${pool.id}/numbers`, { phone: '+12125550190' });
    const fromFlags = await runCli(
      [
        'campaign',
        'create',
        '--name',
        'From flags',
        '--audience',
        members.id,
        '--pool',
        pool.id,
        '--message',
        'Hi {{first_name}}',
        '--sending-window',
        '00:00-24:00',
      ],
      env,
    );
    expect(fromFlags.code, fromFlags.stderr).toBe(0);
    expect(JSON.parse(fromFlags.stdout)).toMatchObject({
      name: 'From flags',
      status: 'draft',
      sending_window: { start: '00:00', end: '24:00' },
      steps: [expect.objectContaining({ template: 'Hi {{first_name}}' })],
    });

    const file = path.join(scratch, 'campaign.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'From a file',
        audience_id: members.id,
        sms_pool_id: pool.id,
        steps: [{ template: 'Hello' }, { template: 'Still there?', delay_seconds: 60 }],
      }),
    );
    const fromFile = await runCli(['campaign', 'create', '--file', file, '--name', 'Renamed'], env);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const created = JSON.parse(fromFile.stdout);
    expect(created).toMatchObject({ name: 'Renamed' });
    expect(created.steps).toHaveLength(2);

    const launched = await runCli(['campaign', 'launch', created.id], env);
    expect(launched.code, launched.stderr).toBe(0);
    expect(JSON.parse(launched.stdout)).toMatchObject({ campaign_id: created.id });

    const status = await runCli(['campaign', 'status', created.id], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^running\s+targeted \d+/);

    // No worker runs this campaign: it ends when cancelled, and --watch ends with it.
    const watch = startCli(['campaign', 'status', created.id, '--watch', '--every', '0.2'], env);
    while (!watch.stdout().includes('running')) await new Promise((r) => setTimeout(r, 50));
    await post(`/v1/campaigns/${created.id}/cancel`, {});
    const watched = await watch.done;
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout.trim().split('\n').at(-1)).toMatch(/^cancelled\s+targeted/);

    const missing = await runCli(['campaign', 'create', '--name', 'x'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--audience');
  });
});
