import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio.ts';
import { SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN } from '../../config/env.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';

const FROM = '+14155550001';
const VOICE_ONLY = '+14155550002';
const API_KEY_SID = `SK${'1'.repeat(32)}`;
const spec = JSON.parse(
  readFileSync(
    new URL(
      '../../sandbox/twilio/reference/twilio-api-v2010-messages.openapi.json',
      import.meta.url,
    ),
    'utf-8',
  ),
) as {
  components: { schemas: Record<string, unknown> };
  paths: Record<string, Record<string, unknown>>;
};

/** OpenAPI 3.0 `nullable: true` → JSON Schema `type: [t, 'null']`; `$ref`s point at `defs`. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key === 'x-twilio' || key === 'examples' || key === 'example')
      continue;
    out[key] =
      key === '$ref' && typeof value === 'string'
        ? value.replace('#/components/schemas/', '#/$defs/')
        : toJsonSchema(value);
  }
  if ('nullable' in node && node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addFormat('phone-number', /^\+[1-9]\d{6,14}$/);
  ajv.addFormat(
    'date-time-rfc-2822',
    /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
  );
  ajv.addFormat('currency', /^[A-Z]{3}$/);
  ajv.addFormat('uri-map', true);
  // Twilio's own examples use URIs relative to https://api.twilio.com: accept references.
  ajv.addFormat('uri', (value: string) => URL.canParse(value, 'https://api.twilio.com'));
  const $defs = toJsonSchema(spec.components.schemas);
  const listPath = spec.paths['/2010-04-01/Accounts/{AccountSid}/Messages.json'] as {
    get: { responses: { 200: { content: { 'application/json': { schema: unknown } } } } };
  };
  return {
    message: ajv.compile({ $defs, $ref: '#/$defs/api.v2010.account.message' }),
    list: ajv.compile({
      $defs,
      ...(toJsonSchema(listPath.get.responses[200].content['application/json'].schema) as object),
      required: ['messages', 'page', 'page_size', 'uri', 'first_page_uri', 'next_page_uri'],
    }),
  };
}

describe('sandbox: Twilio Messages API', () => {
  let sandbox: RunningSandbox;
  let client: TwilioClient;
  const auth = `Basic ${Buffer.from(`${SANDBOX_ACCOUNT_SID}:${SANDBOX_AUTH_TOKEN}`).toString('base64')}`;
  const messagesUrl = () =>
    `${sandbox.url}/2010-04-01/Accounts/${SANDBOX_ACCOUNT_SID}/Messages.json`;
  const post = (form: Record<string, string>, authorization = auth) =>
    fetch(messagesUrl(), {
      method: 'POST',
      headers: {
        Authorization: authorization,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form),
    });

  beforeAll(async () => {
    sandbox = await startSandbox({
      config: {
        numbers: [
          { phoneNumber: FROM, mps: 100 },
          { phoneNumber: VOICE_ONLY, smsCapable: false },
        ],
        twilio: { apiKeys: [{ sid: API_KEY_SID, secret: 'key-secret' }] },
      },
    });
    client = createTwilioClient({
      TWILIO_ACCOUNT_SID: SANDBOX_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: SANDBOX_AUTH_TOKEN,
      TWILIO_API_KEY_SID: undefined,
      TWILIO_API_KEY_SECRET: undefined,
      twilioBaseUrl: sandbox.url,
    });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('create, fetch and list responses validate against the OpenAPI schema', async () => {
    const { message, list } = validator();
    const created = await post({ To: '+14155551234', From: FROM, Body: 'Hello! 👍' });
    expect(created.status).toBe(201);
    const body = (await created.json()) as Record<string, unknown>;
    expect(message(body), JSON.stringify(message.errors)).toBe(true);
    expect(body).toMatchObject({
      status: 'queued',
      price: null,
      num_segments: '1',
      direction: 'outbound-api',
    });
    expect(body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(body.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(body.uri).toBe(
      `/2010-04-01/Accounts/${SANDBOX_ACCOUNT_SID}/Messages/${String(body.sid)}.json`,
    );

    const fetched = await fetch(`${sandbox.url}${String(body.uri)}`, {
      headers: { Authorization: auth },
    });
    expect(message(await fetched.json()), JSON.stringify(message.errors)).toBe(true);

    await post({ To: '+14155551235', From: FROM, Body: 'second' });
    const page = await fetch(`${messagesUrl()}?PageSize=1`, { headers: { Authorization: auth } });
    const pageBody = (await page.json()) as Record<string, unknown>;
    expect(list(pageBody), JSON.stringify(list.errors)).toBe(true);
    expect(pageBody.next_page_uri).toContain('PageToken=PA');
  });

  it('works with the real twilio SDK: create, fetch, list with paging and filters', async () => {
    const sent = [];
    for (let i = 0; i < 7; i += 1) {
      sent.push(await client.messages.create({ to: `+1415555200${i}`, from: FROM, body: `n${i}` }));
    }
    expect((await client.messages(sent[0]?.sid ?? '').fetch()).body).toBe('n0');
    const all = await client.messages.list({ pageSize: 3 });
    expect(all.map((m) => m.body)).toEqual(['n6', 'n5', 'n4', 'n3', 'n2', 'n1', 'n0']);
    const toOne = await client.messages.list({ to: '+14155552003' });
    expect(toOne.map((m) => m.sid)).toEqual([sent[3]?.sid]);
    const today = await client.messages.list({ dateSent: new Date(), from: FROM, limit: 2 });
    expect(today).toHaveLength(2);
    const future = await client.messages.list({ dateSentAfter: new Date(Date.now() + 86_400_000) });
    expect(future).toHaveLength(0);
    expect(sandbox.ledger({ from: FROM }).total).toBe(7);
  });

  it('counts GSM-7 and UCS-2 segments', async () => {
    const gsm = await client.messages.create({
      to: '+14155551234',
      from: FROM,
      body: 'a'.repeat(161),
    });
    expect(gsm.numSegments).toBe('2');
    const ucs = await client.messages.create({
      to: '+14155551234',
      from: FROM,
      body: 'é👍'.repeat(20),
    });
    expect(ucs.numSegments).toBe('1');
    const long = await client.messages.create({
      to: '+14155551234',
      from: FROM,
      body: '👍'.repeat(36),
    });
    expect(long.numSegments).toBe('2');
  });

  it.each([
    [{ From: FROM, Body: 'x' }, 21604, "A 'To' phone number is required."],
    [{ To: '+14155551234', Body: 'x' }, 21603, "A 'From' phone number is required."],
    [
      { To: 'not-a-number', From: FROM, Body: 'x' },
      21211,
      "The 'To' number not-a-number is not a valid phone number.",
    ],
    [{ To: '+14155551234', From: FROM, Body: '' }, 21602, 'Message body is required.'],
    [
      { To: '+14155551234', From: '+14155559999', Body: 'x' },
      21606,
      'The From phone number +14155559999 is not a valid, SMS-capable inbound phone number or short code for your account.',
    ],
    [
      { To: '+14155551234', From: VOICE_ONLY, Body: 'x' },
      21606,
      `The From phone number ${VOICE_ONLY} is not a valid, SMS-capable inbound phone number or short code for your account.`,
    ],
  ])('refuses %j with Twilio error %i', async (form, code, message) => {
    const response = await post(form);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code,
      message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status: 400,
    });
  });

  it('refuses an unsubscribed recipient with 21610 until they text START', async () => {
    sandbox.injectSms({ from: '+14155551234', to: FROM, body: ' stop ' });
    const refused = await post({ To: '+14155551234', From: FROM, Body: 'x' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
    });
    await expect(
      client.messages.create({ to: '+14155551234', from: FROM, body: 'x' }),
    ).rejects.toMatchObject({ code: 21610, status: 400 });
    sandbox.injectSms({ from: '+14155551234', to: FROM, body: 'START' });
    expect((await post({ To: '+14155551234', From: FROM, Body: 'x' })).status).toBe(201);
  });

  it('refuses a recipient the carrier holds opted out (Advanced Opt-Out) from every number, and counts each refusal', async () => {
    const other = '+14155550003';
    sandbox.configure({
      numbers: [{ phoneNumber: other, mps: 100 }],
      recipients: [{ phoneNumber: '+14155551235', carrierOptOut: true }],
    });
    for (const from of [FROM, other]) {
      const refused = await post({ To: '+14155551235', From: from, Body: 'x' });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({
        code: 21610,
        message: 'Attempt to send to unsubscribed recipient',
        status: 400,
      });
    }
    expect((await post({ To: '+14155551236', From: FROM, Body: 'x' })).status).toBe(201);
    expect(sandbox.ledger({ to: '+14155551235' }).total).toBe(0);
    const { refusals, total } = sandbox.refusals({ to: '+14155551235' });
    expect(total).toBe(2);
    expect(refusals.map((r) => [r.from, r.code])).toEqual([
      [FROM, 21610],
      [other, 21610],
    ]);
    const overHttp = (await (
      await fetch(`${sandbox.url}/_sandbox/refusals?to=%2B14155551235`)
    ).json()) as { total: number };
    expect(overHttp.total).toBe(2);
  });

  it('authenticates with the auth token or an API key, and answers 401/20003 otherwise', async () => {
    const bad = await post(
      { To: '+14155551234', From: FROM, Body: 'x' },
      `Basic ${Buffer.from(`${SANDBOX_ACCOUNT_SID}:nope`).toString('base64')}`,
    );
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: 20003, status: 401 });
    const keyClient = createTwilioClient({
      TWILIO_ACCOUNT_SID: SANDBOX_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: 'unused',
      TWILIO_API_KEY_SID: API_KEY_SID,
      TWILIO_API_KEY_SECRET: 'key-secret',
      twilioBaseUrl: sandbox.url,
    });
    const viaKey = await keyClient.messages.create({ to: '+14155551234', from: FROM, body: 'key' });
    expect(viaKey.accountSid).toBe(SANDBOX_ACCOUNT_SID);
    const wrongKey = twilio(API_KEY_SID, 'wrong', { accountSid: SANDBOX_ACCOUNT_SID });
    wrongKey.api.baseUrl = sandbox.url;
    await expect(wrongKey.messages.list({ limit: 1 })).rejects.toMatchObject({
      status: 401,
      code: 20003,
    });
  });

  it('the SDK client goes over real HTTP to the sandbox and reuses keep-alive connections', async () => {
    const before = sandbox.connections();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        client.messages.create({
          to: `+1415556${String(i).padStart(4, '0')}`,
          from: FROM,
          body: 'ka',
        }),
      ),
    );
    const afterBurst = sandbox.connections();
    expect(afterBurst - before).toBeLessThanOrEqual(200);
    for (let i = 0; i < 50; i += 1)
      await client.messages.create({ to: '+14155551234', from: FROM, body: 's' });
    expect(sandbox.ledger().total).toBe(250);
    // Sequential requests reuse the pooled sockets: no new connection per request.
    expect(sandbox.connections() - afterBurst).toBeLessThanOrEqual(1);
  });
});
