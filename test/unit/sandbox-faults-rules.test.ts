import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN } from '../../config/env.ts';
import { SandboxClient, SandboxClientError } from '../../sandbox/client.ts';
import type { FaultRuleInput } from '../../sandbox/config.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';

const FROM = '+14155550001';
const OTHER = '+14155550002';

describe('sandbox faults: rules, shares, limits and the control API', () => {
  let sandbox: RunningSandbox;
  let control: SandboxClient;
  const auth = `Basic ${Buffer.from(`${SANDBOX_ACCOUNT_SID}:${SANDBOX_AUTH_TOKEN}`).toString('base64')}`;
  // node:http with a keep-alive pool: thousands of sends take a fraction of what fetch takes.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const send = (i: number, from = FROM) =>
    new Promise<number>((resolve, reject) => {
      const form = new URLSearchParams({
        To: `+1415666${String(i).padStart(4, '0')}`,
        From: from,
        Body: 'x',
      }).toString();
      const request = http.request(
        `${sandbox.url}/2010-04-01/Accounts/${SANDBOX_ACCOUNT_SID}/Messages.json`,
        {
          method: 'POST',
          agent,
          headers: {
            Authorization: auth,
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': Buffer.byteLength(form),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end(form);
    });
  /** Statuses of `count` sends, one after another (the order the draws are made in). */
  const sendInOrder = async (count: number, from = FROM) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i += 1) statuses.push(await send(i, from));
    return statuses;
  };
  const twilioRules = (...rules: FaultRuleInput[]) =>
    sandbox.configure({ faults: { twilio: rules } });

  beforeAll(async () => {
    sandbox = await startSandbox({
      config: {
        numbers: [
          { phoneNumber: FROM, mps: 10_000 },
          { phoneNumber: OTHER, mps: 10_000 },
        ],
      },
    });
    control = new SandboxClient(sandbox.url);
  });
  afterAll(async () => {
    agent.destroy();
    await sandbox.close();
  });
  beforeEach(() => sandbox.reset());

  it('a share fires on about that share of 2,000 sends; only the refused ones are missing', async () => {
    twilioRules({ kind: 'http_503', share: 0.05 });
    // Eight at a time: which request gets which draw varies, but the n-th draw does not, so the
    // number of faults is the same on every run.
    const statuses: number[] = [];
    for (let batch = 0; batch < 250; batch += 1) {
      const sends = Array.from({ length: 8 }, (_, i) => send(batch * 8 + i));
      statuses.push(...(await Promise.all(sends)));
    }
    const refused = statuses.filter((status) => status === 503).length;
    // Binomial(2000, 0.05): mean 100, sd ≈ 9.7; the band is about ±3 sd.
    expect(refused).toBeGreaterThanOrEqual(70);
    expect(refused).toBeLessThanOrEqual(130);
    expect(statuses.filter((status) => status === 201)).toHaveLength(2_000 - refused);
    expect(sandbox.ledger().total).toBe(2_000 - refused);
    expect(sandbox.stats()).toMatchObject({
      smsMessages: 2_000 - refused,
      faults: { twilio: { http_503: refused }, blooio: {} },
    });
    expect(sandbox.mpsViolations().byNumber[FROM]?.segments).toBe(2_000 - refused);
  }, 60_000);

  it('draws are reproducible: the same seed and order fault the same sends, another seed others', async () => {
    const pattern = async (seed: string) => {
      sandbox.reset();
      sandbox.configure({ seed, faults: { twilio: [{ kind: 'http_429', share: 0.3 }] } });
      return (await sendInOrder(60)).map((status) => (status === 429 ? 'x' : '.')).join('');
    };
    const first = await pattern('alpha');
    expect(first).toContain('x');
    expect(first).toContain('.');
    expect(await pattern('alpha')).toBe(first);
    const other = await pattern('beta');
    expect(other).not.toBe(first);
    // Setting the rules again starts the sequence again, whatever traffic came before.
    sandbox.configure({ faults: { twilio: [{ kind: 'http_429', share: 0.3 }] } });
    const again = (await sendInOrder(60)).map((status) => (status === 429 ? 'x' : '.')).join('');
    expect(again).toBe(other);
  });

  it('rules are checked in order: the first that matches and wins its share fires', async () => {
    twilioRules({ kind: 'http_429', share: 0.5 }, { kind: 'http_500' });
    const statuses = await sendInOrder(200);
    const tooMany = statuses.filter((status) => status === 429).length;
    expect(tooMany).toBeGreaterThan(70);
    expect(tooMany).toBeLessThan(130);
    expect(statuses.filter((status) => status === 500)).toHaveLength(200 - tooMany);
    expect(sandbox.ledger().total).toBe(0);
    expect(sandbox.faults().twilio.firedPerRule).toEqual([tooMany, 200 - tooMany]);
  });

  it('`numbers` limits a rule to those senders', async () => {
    twilioRules({ kind: 'http_503', numbers: [OTHER] });
    expect(await sendInOrder(5, FROM)).toEqual([201, 201, 201, 201, 201]);
    expect(await sendInOrder(5, OTHER)).toEqual([503, 503, 503, 503, 503]);
    expect(sandbox.ledger({ from: OTHER }).total).toBe(0);
    expect(sandbox.ledger({ from: FROM }).total).toBe(5);
  });

  it('`limit` caps how often a rule fires, then the next rule (or none) applies', async () => {
    twilioRules({ kind: 'http_429', limit: 2 }, { kind: 'http_500_after_accept', limit: 1 });
    expect(await sendInOrder(5)).toEqual([429, 429, 500, 201, 201]);
    expect(sandbox.ledger().total).toBe(3);
    expect(sandbox.faults().twilio).toEqual({
      rules: [
        { kind: 'http_429', share: 1, limit: 2 },
        { kind: 'http_500_after_accept', share: 1, limit: 1 },
      ],
      fired: { http_429: 2, http_500_after_accept: 1 },
      firedPerRule: [2, 1],
    });
    // Setting the rules again counts their limits afresh; the per-kind totals keep counting.
    twilioRules({ kind: 'http_429', limit: 1 });
    expect(await sendInOrder(2)).toEqual([429, 201]);
    expect(sandbox.faults().twilio.fired).toEqual({ http_429: 3, http_500_after_accept: 1 });
    expect(sandbox.faults().twilio.firedPerRule).toEqual([1]);
  });

  it('share 0 and limit 0 never fire', async () => {
    twilioRules({ kind: 'http_500', share: 0 }, { kind: 'http_503', limit: 0 });
    expect(await sendInOrder(5)).toEqual([201, 201, 201, 201, 201]);
  });

  it('the control API sets, shows and clears the rules; the client wraps it', async () => {
    const report = await control.setFaults({
      twilio: [{ kind: 'hang_after_accept', share: 0.25, numbers: [FROM] }],
      blooio: [{ kind: 'http_503', limit: 10 }],
    });
    expect(report).toEqual({
      twilio: {
        rules: [{ kind: 'hang_after_accept', share: 0.25, numbers: [FROM] }],
        fired: {},
        firedPerRule: [0],
      },
      blooio: { rules: [{ kind: 'http_503', share: 1, limit: 10 }], fired: {}, firedPerRule: [0] },
    });
    expect(await control.faults()).toEqual(report);
    expect(sandbox.faults()).toEqual(report);
    const config = await control.config();
    expect(config.faults).toEqual({
      twilio: report.twilio.rules,
      blooio: report.blooio.rules,
    });
    // configure({ faults }) replaces only the lists it names; [] clears one.
    await control.configure({ faults: { blooio: [] } });
    expect((await control.faults()).blooio.rules).toEqual([]);
    expect((await control.faults()).twilio.rules).toHaveLength(1);
    await control.reset();
    expect(await control.faults()).toEqual({
      twilio: { rules: [], fired: {}, firedPerRule: [] },
      blooio: { rules: [], fired: {}, firedPerRule: [] },
    });
  });

  it('counts fired faults in /_sandbox/stats until a reset', async () => {
    await control.setFaults({ twilio: [{ kind: 'http_429', limit: 3 }] });
    await sendInOrder(4);
    expect((await control.stats()).faults).toEqual({ twilio: { http_429: 3 }, blooio: {} });
    expect((await control.stats()).heldRequests).toBe(0);
    await control.reset();
    expect((await control.stats()).faults).toEqual({ twilio: {}, blooio: {} });
  });

  it('the client surfaces a refused rule as a 400', async () => {
    const error = await control
      .setFaults({ twilio: [{ kind: 'http_500', share: 1.5 }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SandboxClientError);
    expect(error).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });

  it.each([
    [{ twilio: [{ kind: 'http_418' }] }, 'twilio.0.kind'],
    [{ twilio: [{ kind: 'http_500', share: 1.5 }] }, 'twilio.0.share'],
    [{ blooio: [{ kind: 'http_500', numbers: ['5551234'] }] }, 'blooio.0.numbers.0'],
    [{ blooio: [{ kind: 'http_500', limit: -1 }] }, 'blooio.0.limit'],
  ])('refuses the invalid rules %j with 400 (%s)', async (faults, path) => {
    const post = (route: string, body: unknown) =>
      fetch(`${sandbox.url}${route}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const direct = await post('/_sandbox/faults', faults);
    expect(direct.status).toBe(400);
    expect(JSON.stringify(await direct.json())).toContain(path);
    expect((await post('/_sandbox/configure', { faults })).status).toBe(400);
    expect(sandbox.faults().twilio.rules).toEqual([]);
    expect(sandbox.faults().blooio.rules).toEqual([]);
  });

  it('faults given at start come back after a reset, with their counters at zero', async () => {
    const own = await startSandbox({
      config: {
        numbers: [{ phoneNumber: FROM, mps: 100 }],
        faults: { twilio: [{ kind: 'http_503', limit: 1 }] },
      },
    });
    try {
      own.configure({ faults: { twilio: [] } });
      own.reset();
      expect(own.faults().twilio).toEqual({
        rules: [{ kind: 'http_503', share: 1, limit: 1 }],
        fired: {},
        firedPerRule: [0],
      });
    } finally {
      await own.close();
    }
  });
});
