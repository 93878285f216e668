import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAudience, seedPool } from '../support/seed.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

const HUGE = '99999999999999999999999';
const NUL = 'bad\u0000name';

/** Inputs a probe found reaching a 500: each is a 4xx with the JSON error format now. */
describe('hostile input', () => {
  let api: TestApi;
  let poolId: string;
  let campaignId: string;
  let audienceId: string;
  beforeAll(async () => {
    api = await startTestApi();
    const { db } = api.database;
    poolId = await seedPool(db, [{ phone: '+14155550100', mps: 10 }]);
    audienceId = await seedAudience(db, [{ phone: '+14155550123' }]);
    const created = await api.client.POST('/v1/campaigns', {
      body: {
        name: 'hostile',
        audience_id: audienceId,
        sms_pool_id: poolId,
        steps: [{ template: 'Hi' }],
      },
    });
    campaignId = created.data!.id;
  });
  afterAll(async () => {
    await api.close();
  });

  /** The API listening on a port: what only real HTTP shows (socket errors, streamed bodies). */
  let listening: Promise<string> | undefined;
  const origin = () =>
    (listening ??= api.app.listen({ host: '127.0.0.1', port: 0 }).then((address) => address));

  const request = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    api.app.inject({
      method,
      url,
      headers: api.auth,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  const refused = async (response: Awaited<ReturnType<typeof request>>, what: string) => {
    expect(response.statusCode, `${what}: ${response.body}`).toBeGreaterThanOrEqual(400);
    expect(response.statusCode, `${what}: ${response.body}`).toBeLessThan(500);
    expect(response.json().error.code, what).toEqual(expect.any(String));
    expect(response.body, what).not.toMatch(/invalid byte sequence|out of range|at .*\.ts:\d+/);
  };

  it('refuses a NUL byte in any text field', async () => {
    await refused(
      await request('POST', '/v1/pools', { name: NUL, provider: 'twilio' }),
      'pool name',
    );
    await refused(
      await request('POST', `/v1/pools/${poolId}/numbers`, { phone: '+14155550199', region: NUL }),
      'number region',
    );
    await refused(
      await request('PATCH', `/v1/campaigns/${campaignId}`, { name: NUL }),
      'campaign name',
    );
    await refused(
      await request('PATCH', `/v1/campaigns/${campaignId}`, { steps: [{ template: `Hi ${NUL}` }] }),
      'template',
    );
    await refused(await request('GET', `/v1/campaigns?q=${encodeURIComponent(NUL)}`), '?q=');
    await refused(
      await request('POST', '/v1/suppression-lists', { name: NUL }),
      'suppression list name',
    );
  });

  it('refuses ids and cursors out of range', async () => {
    for (const url of [
      `/v1/campaigns/${campaignId}/messages?cursor=${HUGE}`,
      `/v1/contacts/${HUGE}`,
      `/v1/messages/${HUGE}`,
      `/v1/conversations/${HUGE}`,
      `/v1/consent-events?cursor=${HUGE}`,
      `/v1/campaigns?cursor=${HUGE}`,
      `/v1/contacts?cursor=${HUGE}`,
    ])
      await refused(await request('GET', url), url);
  });

  it('refuses a drip cron that cannot fire', async () => {
    for (const cron of ['a b c d e', '99 99 99 99 99', '0 0 31 2 *']) {
      const response = await request('PATCH', `/v1/campaigns/${campaignId}`, {
        drip: { cron, time_zone: 'UTC' },
      });
      expect(response.statusCode, cron).toBe(400);
      expect(response.json().error.message, cron).toMatch(/cron/);
    }
    const fine = await request('PATCH', `/v1/campaigns/${campaignId}`, {
      drip: { cron: '0 9 * * 1-5', time_zone: 'America/New_York' },
    });
    expect(fine.statusCode, fine.body).toBe(200);
  });

  // Found by hostile-routes.test.ts, each a 500 or an answer outside the JSON error format before.

  it('refuses a cursor that is not digits (it reached BigInt)', async () => {
    for (const cursor of ['$1', 'abc', '-1', '1e3'])
      await refused(
        await request(
          'GET',
          `/v1/campaigns/${campaignId}/messages?cursor=${encodeURIComponent(cursor)}`,
        ),
        `cursor ${cursor}`,
      );
  });

  it('answers a malformed URL escape and an over-long path part in the JSON error format', async () => {
    for (const url of [
      `/v1/campaigns/%zz`,
      `/v1/pools/%/numbers/%u0000/resume`,
      `/v1/campaigns/${'9'.repeat(2_000)}`,
    ]) {
      const response = await request('GET', url);
      await refused(response, url);
    }
    const tooLong = await request('GET', `/v1/campaigns/${'9'.repeat(2_000)}`);
    expect(tooLong.statusCode).toBe(414);
    expect(tooLong.json().error.code).toBe('path_parameter_too_long');
  });

  it('answers a URL over the header limit in the JSON error format', async () => {
    // Node refuses it on the socket, before Fastify: only real HTTP shows the answer.
    const response = await fetch(`${await origin()}/v1/campaigns?q=${'y'.repeat(20_000)}`, {
      headers: api.auth,
    });
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'headers_too_large',
    );
  });

  it('takes a text/csv upload with an Idempotency-Key and replays it', async () => {
    const list = await api.client.POST('/v1/suppression-lists', { body: { name: 'keyed' } });
    // Over real HTTP the body is the socket's stream, which the key's fingerprint once tried
    // to serialise (app.inject hands the route a stream that serialises).
    const url = `${await origin()}/v1/suppression-lists/${list.data!.id}/entries`;
    const upload = async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...api.auth, 'content-type': 'text/csv', 'idempotency-key': 'csv-upload-1' },
        body: 'phone\n+14155550177\n',
      });
      return {
        status: response.status,
        replayed: response.headers.get('idempotent-replayed'),
        body: await response.text(),
      };
    };
    const first = await upload();
    expect(first.status, first.body).toBe(200);
    const again = await upload();
    expect(again.status, again.body).toBe(200);
    expect(again.replayed).toBe('true');
    expect(again.body).toBe(first.body);
  });

  it('refuses a multipart form that breaks off, before or after its file began', async () => {
    const list = await api.client.POST('/v1/suppression-lists', { body: { name: 'broken form' } });
    const boundary = 'b0undary';
    const whole = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nphone\n+14155550123\n${'x,'.repeat(300)}\r\n--${boundary}--\r\n`;
    for (const [what, url, contentType, payload] of [
      [
        'truncated',
        `/v1/suppression-lists/${list.data!.id}/entries`,
        boundary,
        whole.slice(0, 200),
      ],
      ['truncated', '/v1/audiences', boundary, whole.slice(0, 200)],
      ['wrong boundary', '/v1/audiences', 'something-else', whole],
    ] as const) {
      const response = await api.app.inject({
        method: 'POST',
        url,
        headers: { ...api.auth, 'content-type': `multipart/form-data; boundary=${contentType}` },
        payload,
      });
      await refused(response, `${what} ${url}`);
      expect(response.json().error.code).toBe('multipart_malformed');
    }
  });

  it('refuses JSON nested deeper than any body of the API, Idempotency-Key or not', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const headers of [{}, { 'idempotency-key': 'deep-json-1' }]) {
      const response = await api.app.inject({
        method: 'POST',
        url: `/v1/campaigns/${campaignId}/pause`,
        headers: { ...api.auth, ...headers, 'content-type': 'application/json' },
        payload: deep,
      });
      await refused(response, `deep JSON ${JSON.stringify(headers)}`);
      expect(response.json().error.code).toBe('json_too_deep');
    }
  });

  it('refuses numbers beyond what their integer columns hold', async () => {
    const beyond = Number.MAX_SAFE_INTEGER;
    await refused(
      await request('GET', `/v1/audiences/${audienceId}/rejections?after=${beyond}`),
      'rejections after',
    );
    await refused(
      await request('POST', `/v1/pools/${poolId}/numbers`, {
        phone: '+14155550188',
        daily_cap: beyond,
      }),
      'number daily_cap',
    );
    await refused(
      await request('PATCH', `/v1/campaigns/${campaignId}`, {
        steps: [{ template: 'Hi', delay_seconds: beyond }],
      }),
      'step delay_seconds',
    );
  });
});
