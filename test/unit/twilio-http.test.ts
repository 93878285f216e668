import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio.ts';
import { formEncode, TwilioHttpClient } from '../../activities/carriers/twilio-http.ts';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN } from '../../config/env.ts';
import { transportAnswer } from '../../core/send-outcome.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';

const FROM = '+14155550001';
const TIMEOUT_MS = 300;

const clientFor = (baseUrl: string, timeoutMs = 5_000) =>
  createTwilioClient(
    {
      TWILIO_ACCOUNT_SID: SANDBOX_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: SANDBOX_AUTH_TOKEN,
      TWILIO_API_KEY_SID: undefined,
      TWILIO_API_KEY_SECRET: undefined,
      twilioBaseUrl: baseUrl,
    },
    { timeoutMs },
  );

/** What a transport error comes to for the send path (`core/send-outcome.ts`). */
function classify(error: unknown) {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined;
  return transportAnswer(code, error instanceof Error ? error.message : String(error));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

interface Captured {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A server that records each request and answers as `answer` says. */
async function captureServer(
  answer: (request: Captured, response: http.ServerResponse) => void = (request, response) =>
    response
      .writeHead(request.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' })
      .end(request.url.includes('Messages.json?') ? '{"messages":[]}' : '{"sid":"SMx"}'),
) {
  const requests: Captured[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const captured = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      };
      requests.push(captured);
      answer(captured, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('formEncode: qs.stringify with repeated keys, as the SDK encodes', () => {
  it('percent-encodes all but A-Z a-z 0-9 - . _ ~, repeats array keys, skips undefined', () => {
    expect(
      formEncode({
        To: '+14155551234',
        Body: "Hi Pat! (it's 50% off) *now* ~ok_.-",
        MediaUrl: ['https://a.example/x?y=1&z=2', 'b c'],
        StatusCallback: undefined,
        Attempt: 3,
        SmartEncoded: true,
        Empty: null,
        'DateSent>': '2026-11-29T00:00:00Z',
        When: new Date(Date.UTC(2026, 10, 29)),
        Nested: { a: 'b' },
        Emoji: 'café 😀',
        Broken: 'x\uD800y',
      }),
    ).toBe(
      [
        'To=%2B14155551234',
        'Body=Hi%20Pat%21%20%28it%27s%2050%25%20off%29%20%2Anow%2A%20~ok_.-',
        'MediaUrl=https%3A%2F%2Fa.example%2Fx%3Fy%3D1%26z%3D2',
        'MediaUrl=b%20c',
        'Attempt=3',
        'SmartEncoded=true',
        'Empty=',
        'DateSent%3E=2026-11-29T00%3A00%3A00Z',
        'When=2026-11-29T00%3A00%3A00.000Z',
        'Nested%5Ba%5D=b',
        'Emoji=caf%C3%A9%20%F0%9F%98%80',
        'Broken=x%EF%BF%BDy',
      ].join('&'),
    );
    expect(formEncode({})).toBe('');
    expect(formEncode(undefined)).toBe('');
  });
});

describe('TwilioHttpClient: the SDK over undici', () => {
  it('sends what the SDK default client (axios) sends: method, path, query, body, headers', async () => {
    const capture = await captureServer();
    try {
      const auth = (httpClient: twilio.RequestClient) => {
        const client = twilio(SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN, { httpClient });
        client.api.baseUrl = capture.url;
        return client;
      };
      const lean = new TwilioHttpClient({ timeoutMs: 1000, connections: 4 });
      const axios = new twilio.RequestClient({ timeout: 1000 });
      for (const client of [auth(axios), auth(lean)]) {
        await client.messages.create({
          to: '+14155551234',
          from: FROM,
          body: 'Reply YES! (50% off) café',
          statusCallback: 'https://example.com/hook?a=1&b=2',
          mediaUrl: ['https://m.example/1.png', 'https://m.example/2.png'],
        });
        await client.messages('SM123').fetch();
        await client.messages.page({ to: '+14155551234', dateSentAfter: new Date(0), pageSize: 2 });
      }
      await lean.close();
      expect(capture.requests).toHaveLength(6);
      const comparable = ({ method, url, body, headers }: Captured) => {
        const {
          'accept-encoding': _acceptEncoding,
          host: _host,
          'content-length': contentLength,
          ...rest
        } = headers;
        return { method, url, body, headers: rest, hasBodyLength: contentLength !== undefined };
      };
      const [viaAxios, viaUndici] = [capture.requests.slice(0, 3), capture.requests.slice(3)];
      expect(viaUndici.map(comparable)).toEqual(viaAxios.map(comparable));
      const [create] = viaUndici;
      expect(create?.headers).toMatchObject({
        'user-agent': `twilio-node/6.2.0 (${process.platform} ${process.arch}) node/${process.version}`,
        'accept-charset': 'utf-8',
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        connection: 'keep-alive',
        authorization: `Basic ${Buffer.from(`${SANDBOX_ACCOUNT_SID}:${SANDBOX_AUTH_TOKEN}`).toString('base64')}`,
      });
      expect(create?.body).toContain('MediaUrl=https%3A%2F%2Fm.example%2F1.png&MediaUrl=');
    } finally {
      await capture.close();
    }
  });

  it('answers a non-JSON error page with the SDK status-only RestException', async () => {
    const capture = await captureServer((_, response) =>
      response.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>'),
    );
    try {
      const error = await rejection(
        clientFor(capture.url).messages.create({ to: '+1', from: FROM, body: 'x' }),
      );
      expect(error).toBeInstanceOf(twilio.RestException);
      expect(error).toMatchObject({ status: 502, message: '[HTTP 502] Failed to execute request' });
    } finally {
      await capture.close();
    }
  });

  it('a connection closed without an answer is ECONNRESET: ambiguous', async () => {
    const capture = await captureServer((_, response) => response.socket?.destroy());
    try {
      const error = await rejection(
        clientFor(capture.url).messages.create({ to: '+1', from: FROM, body: 'x' }),
      );
      expect(error).toMatchObject({ code: 'ECONNRESET' });
      expect(classify(error)).toMatchObject({ kind: 'ambiguous', failure: { kind: 'network' } });
    } finally {
      await capture.close();
    }
  });

  it('a refused connection is ECONNREFUSED: not sent', async () => {
    const capture = await captureServer();
    await capture.close(); // nothing listens on its port any more
    const error = await rejection(
      clientFor(capture.url).messages.create({ to: '+1', from: FROM, body: 'x' }),
    );
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(classify(error)).toMatchObject({ kind: 'not_sent' });
  });
});

describe('TwilioHttpClient against the sandbox', () => {
  let sandbox: RunningSandbox;
  let client: TwilioClient;

  beforeAll(async () => {
    sandbox = await startSandbox({
      config: { numbers: [{ phoneNumber: FROM, mps: 1000, latencyMs: 5 }] },
    });
    client = clientFor(sandbox.url);
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('creates, fetches, and lists with To/From/DateSent> filters, page by page', async () => {
    const started = new Date(Date.now() - 1000);
    const sent = [];
    for (let i = 0; i < 5; i += 1) {
      sent.push(
        await client.messages.create({ to: `+1415555200${i % 2}`, from: FROM, body: `m${i}` }),
      );
    }
    expect(sent.every((message) => message.sid.startsWith('SM'))).toBe(true);
    const fetched = await client.messages(sent[0]?.sid ?? '').fetch();
    expect(fetched).toMatchObject({
      sid: sent[0]?.sid,
      body: 'm0',
      to: '+14155552000',
      from: FROM,
    });
    // Three pages of two: the SDK follows next_page_uri through this client.
    const all = await client.messages.list({ pageSize: 2 });
    expect(all.map((message) => message.sid).sort()).toEqual(sent.map((m) => m.sid).sort());
    const toOne = await client.messages.list({
      to: '+14155552001',
      from: FROM,
      dateSentAfter: started,
    });
    expect(toOne.map((message) => message.body).sort()).toEqual(['m1', 'm3']);
    expect(
      await client.messages.list({ dateSentAfter: new Date(Date.now() + 86_400_000) }),
    ).toEqual([]);
  });

  it('a Twilio refusal is the SDK RestException with its status, code and more_info', async () => {
    await expect(
      client.messages.create({ to: '+14155551234', from: '+14155559999', body: 'x' }),
    ).rejects.toMatchObject({
      constructor: twilio.RestException,
      status: 400,
      code: 21606,
      moreInfo: 'https://www.twilio.com/docs/errors/21606',
    });
    await expect(
      client.messages('SM00000000000000000000000000000000').fetch(),
    ).rejects.toMatchObject({
      status: 404,
      code: 20404,
    });
    sandbox.configure({ faults: { twilio: [{ kind: 'http_500', share: 1 }] } });
    await expect(
      client.messages.create({ to: '+14155551234', from: FROM, body: 'x' }),
    ).rejects.toMatchObject({ status: 500, code: 20500 });
  });

  it('times out a request the carrier holds: ECONNABORTED, ambiguous, connection released', async () => {
    sandbox.configure({ faults: { twilio: [{ kind: 'hang_before_accept', share: 1 }] } });
    const impatient = clientFor(sandbox.url, TIMEOUT_MS);
    const started = Date.now();
    const error = await rejection(
      impatient.messages.create({ to: '+14155551234', from: FROM, body: 'x' }),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(error).toMatchObject({
      code: 'ECONNABORTED',
      message: `timeout of ${TIMEOUT_MS}ms exceeded`,
    });
    expect(classify(error)).toEqual({ kind: 'ambiguous', failure: { kind: 'timeout' } });
    // The aborted request's connection was closed: the sandbox lets it go.
    await expect.poll(() => sandbox.stats().heldRequests).toBe(0);
  });

  it('the deadline covers waiting for a connection: a queued request times out unwritten', async () => {
    sandbox.configure({ faults: { twilio: [{ kind: 'hang_before_accept', share: 1 }] } });
    const httpClient = new TwilioHttpClient({ timeoutMs: 5_000, connections: 1 });
    const send = (timeout: number) =>
      rejection(
        httpClient.request({
          method: 'post',
          uri: `${sandbox.url}/2010-04-01/Accounts/${SANDBOX_ACCOUNT_SID}/Messages.json`,
          username: SANDBOX_ACCOUNT_SID,
          password: SANDBOX_AUTH_TOKEN,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          data: { To: '+14155551234', From: FROM, Body: 'x' },
          timeout,
        }),
      );
    // The first holds the only connection for a second; the second waits behind it.
    const held = send(1_000);
    const started = Date.now();
    expect(await send(TIMEOUT_MS)).toMatchObject({
      code: 'ECONNABORTED',
      message: `timeout of ${TIMEOUT_MS}ms exceeded`,
    });
    expect(Date.now() - started).toBeLessThan(900);
    expect(await held).toMatchObject({ code: 'ECONNABORTED' });
    await expect.poll(() => sandbox.stats().heldRequests).toBe(0);
    // Only the first reached the carrier: the queued one was dropped, not sent late.
    expect(sandbox.stats().faults.twilio).toEqual({ hang_before_accept: 1 });
    await httpClient.close();
  });

  it('a connection reset is ECONNRESET (ambiguous), and the pool recovers', async () => {
    sandbox.configure({ faults: { twilio: [{ kind: 'reset_before_accept', share: 1 }] } });
    const error = await rejection(
      client.messages.create({ to: '+14155551234', from: FROM, body: 'x' }),
    );
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(classify(error)).toMatchObject({ kind: 'ambiguous', failure: { kind: 'network' } });
    sandbox.configure({ faults: { twilio: [] } });
    expect(
      (await client.messages.create({ to: '+14155551234', from: FROM, body: 'x' })).status,
    ).toBe('queued');
  });

  it('keeps connections alive: a burst opens at most one per request, a sequence reuses them', async () => {
    const before = sandbox.connections();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        client.messages.create({
          to: `+1415556${String(i).padStart(4, '0')}`,
          from: FROM,
          body: 'k',
        }),
      ),
    );
    const afterBurst = sandbox.connections();
    expect(afterBurst - before).toBeLessThanOrEqual(50);
    for (let i = 0; i < 20; i += 1)
      await client.messages.create({ to: '+14155551234', from: FROM, body: 's' });
    expect(sandbox.connections() - afterBurst).toBe(0);
  });
});
