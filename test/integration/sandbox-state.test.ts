import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_ACCOUNT_SID,
  SANDBOX_AUTH_TOKEN,
  SANDBOX_BLOOIO_API_KEY,
} from '../../config/env.ts';
import { DEFAULT_BLOOIO_NUMBERS } from '../../sandbox/settings.ts';
import { SandboxClient } from '../../sandbox/client.ts';
import {
  startTsProcess,
  waitForHttp,
  type ManagedProcess,
} from '../../scripts/services/processes.ts';
import { freePort } from '../../scripts/services/temporal.ts';

const NUMBER = '+14155550177';
const OPTED_OUT = '+14155550188';
const OTHER = '+14155550199';

describe('the sandbox process keeps its account across a restart', () => {
  let dataDir: string;
  let running: ManagedProcess | undefined;

  /** `sandbox/main.ts` as `npm run sandbox` runs it, on a port and a data directory of its own. */
  async function startSandboxProcess(): Promise<SandboxClient & { url: string }> {
    const port = await freePort();
    running = startTsProcess(
      'sandbox',
      'sandbox/main.ts',
      { DATA_DIR: dataDir, SANDBOX_PORT: String(port), PUBLIC_BASE_URL: 'http://127.0.0.1:9' },
      { quiet: true },
    );
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/_sandbox/health`, 60_000, running.child);
    return Object.assign(new SandboxClient(url), { url });
  }

  const sendSms = (url: string, to: string) =>
    fetch(`${url}/2010-04-01/Accounts/${SANDBOX_ACCOUNT_SID}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${SANDBOX_ACCOUNT_SID}:${SANDBOX_AUTH_TOKEN}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ From: NUMBER, To: to, Body: 'hello again' }).toString(),
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tandem-sandbox-'));
    await chmod(dataDir, 0o755);
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('has its numbers, opt-outs and Blooio lines back after SIGTERM and a new start', async () => {
    const first = await startSandboxProcess();
    await first.configure({
      numbers: [{ phoneNumber: NUMBER, mps: 7, deliveryRate: 0.9 }],
      recipients: [{ phoneNumber: OTHER, reply: null }],
    });
    await first.injectSms({ from: OPTED_OUT, to: NUMBER, body: 'STOP' });
    // The contact writes to the third line first: Blooio keeps that line for them.
    await first.injectBlooio({ from: OTHER, to: DEFAULT_BLOOIO_NUMBERS[2] ?? '', text: 'hi' });
    expect((await sendSms(first.url, OPTED_OUT)).status).toBe(400);

    await running?.stop();
    expect(running?.child.exitCode).toBe(0);
    const saved: unknown = JSON.parse(
      await readFile(path.join(dataDir, 'sandbox', 'state.json'), 'utf8'),
    );
    expect(saved).toMatchObject({ optOuts: [[NUMBER, OPTED_OUT]] });

    const second = await startSandboxProcess();
    const config = await second.config();
    expect(config.numbers).toEqual([
      expect.objectContaining({ phoneNumber: NUMBER, mps: 7, deliveryRate: 0.9 }),
    ]);
    expect(config.recipients).toEqual([{ phoneNumber: OTHER, reply: null }]);

    const refused = await sendSms(second.url, OPTED_OUT);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 21610 });
    const accepted = await sendSms(second.url, OTHER);
    expect(accepted.status).toBe(201);

    const blooio = await fetch(`${second.url}/v2/api/chats/${encodeURIComponent(OTHER)}/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SANDBOX_BLOOIO_API_KEY}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ text: 'Welcome back' }),
    });
    expect(blooio.status).toBe(202);
    expect(await blooio.json()).toMatchObject({ from_number: DEFAULT_BLOOIO_NUMBERS[2] });
  });
});
