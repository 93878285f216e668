import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { keepStateIn } from '../../sandbox/state-file.ts';

const NUMBER = '+14155550177';
const PERSON = '+14155550188';

describe('sandbox state file', () => {
  let directory: string;
  let file: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'tandem-sandbox-state-'));
    file = path.join(directory, 'sandbox', 'state.json');
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('restores configuration and opt-outs, but not fault rules', async () => {
    const before = new Sandbox();
    const state = await keepStateIn(before, file, () => {});
    before.configure({
      numbers: [{ phoneNumber: NUMBER, mps: 3 }],
      faults: { twilio: [{ kind: 'http_503', share: 1 }] },
    });
    before.injectSms({ from: PERSON, to: NUMBER, body: 'stop' });
    await state.close();
    before.close();

    const after = new Sandbox();
    const restored = await keepStateIn(after, file, () => {});
    expect(after.ctx.settings.numbers.get(NUMBER)?.mps).toBe(3);
    expect(after.twilio.optOuts.has(NUMBER, PERSON)).toBe(true);
    expect(after.ctx.settings.faults.twilio).toEqual([]);
    await restored.close();
    after.close();
  });

  it('lets the starting configuration win over the saved one', async () => {
    const before = new Sandbox([{ inboundUrl: 'http://127.0.0.1:3000/webhooks/twilio/inbound' }]);
    const state = await keepStateIn(before, file, () => {});
    before.configure({ numbers: [{ phoneNumber: NUMBER }] });
    await state.close();
    before.close();

    const moved = 'http://127.0.0.1:3100/webhooks/twilio/inbound';
    const after = new Sandbox([{ inboundUrl: moved }]);
    const restored = await keepStateIn(after, file, () => {});
    expect(after.ctx.settings.inboundUrl).toBe(moved);
    expect([...after.ctx.settings.numbers.keys()]).toEqual([NUMBER]);
    await restored.close();
    after.close();
  });

  it('moves an unreadable file aside and says so', async () => {
    await keepStateIn(new Sandbox(), file, () => {}).then((state) => state.close());
    await writeFile(file, '{"version": 1, "config": ');
    const warnings: string[] = [];
    const sandbox = new Sandbox();
    const state = await keepStateIn(sandbox, file, (line) => warnings.push(line));
    expect(warnings).toEqual([expect.stringContaining('could not restore')]);
    const names = await readdir(path.dirname(file));
    expect(names.some((name) => name.startsWith('state.json.unreadable-'))).toBe(true);
    expect(existsSync(file)).toBe(true);
    expect(sandbox.ctx.settings.numbers.size).toBe(0);
    await state.close();
  });
});
