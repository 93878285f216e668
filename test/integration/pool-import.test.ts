import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio.ts';
import { TwilioHttpClient } from '../../activities/carriers/twilio-http.ts';
import { seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';

const LONG_CODE = '+14155550501';
const LONG_CODE_2 = '+12125550502';
const TOLL_FREE = '+18885550503';
const SHORT_CODE = '898211';
const VOICE_ONLY = '+14155550504';
const ELSEWHERE = '+14155550505';

/**
 * The account's IncomingPhoneNumbers come into a pool through the real twilio SDK against the
 * sandbox: SMS-capable ones join with their kind detected and their SMS webhook pointed at
 * tandem; a dry run changes nothing; a second import changes nothing either.
 */
describe('importing Twilio numbers into a pool', () => {
  let stack: CampaignStack;
  let inboundUrl: string;
  let client: TwilioClient;
  beforeAll(async () => {
    stack = await startCampaignStack({
      inProcessWorker: false,
      sandbox: {
        numbers: [
          { phoneNumber: LONG_CODE },
          { phoneNumber: LONG_CODE_2, inboundUrl: 'https://old.example.com/sms', smsMethod: 'GET' },
          { phoneNumber: TOLL_FREE, friendlyName: 'Support line' },
          { phoneNumber: SHORT_CODE, mps: 100 },
          { phoneNumber: VOICE_ONLY, smsCapable: false },
          { phoneNumber: ELSEWHERE },
        ],
      },
    });
    inboundUrl = `${stack.apiUrl}/webhooks/twilio/inbound`;
    client = createTwilioClient(stack.api.config, { maxSockets: 2 });
  });
  afterAll(async () => {
    const http = client?.httpClient;
    if (http instanceof TwilioHttpClient) await http.close();
    await stack?.close();
  });

  const twilio = () => client;
  const smsUrls = async () =>
    Object.fromEntries(
      (await twilio().incomingPhoneNumbers.list()).map((number) => [
        number.phoneNumber,
        `${number.smsMethod} ${number.smsUrl}`,
      ]),
    );
  const post = (url: string, payload?: Record<string, unknown>) =>
    stack.api.app.inject({
      method: 'POST',
      url,
      headers: stack.api.auth,
      ...(payload === undefined ? {} : { payload }),
    });
  const poolNumbers = async (poolId: string) => {
    const response = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/pools/${poolId}`,
      headers: stack.api.auth,
    });
    return Object.fromEntries(
      response
        .json()
        .numbers.map((number: { phone: string; kind: string }) => [number.phone, number.kind]),
    );
  };
  const byPhone = (numbers: { phone: string }[]) =>
    Object.fromEntries(numbers.map(({ phone, ...rest }) => [phone, rest]));

  it('lists the account numbers in pages, as Twilio does', async () => {
    const pages: number[] = [];
    const all = await twilio().incomingPhoneNumbers.list({ pageSize: 4 });
    await twilio().incomingPhoneNumbers.each({ pageSize: 4 }, () => void pages.push(1));
    expect(all.map((number) => number.phoneNumber).sort()).toEqual(
      [LONG_CODE, LONG_CODE_2, TOLL_FREE, SHORT_CODE, VOICE_ONLY, ELSEWHERE].sort(),
    );
    expect(pages).toHaveLength(6);
    const voice = all.find((number) => number.phoneNumber === VOICE_ONLY);
    expect(voice?.capabilities).toMatchObject({ sms: false, voice: true });
    expect(all.find((number) => number.phoneNumber === TOLL_FREE)?.friendlyName).toBe(
      'Support line',
    );
  });

  it('adds and configures the SMS-capable numbers; a dry run and a second import change nothing', async () => {
    const { db } = stack.api.database;
    const otherPool = await seedPool(db, [{ phone: ELSEWHERE }], { name: 'other' });
    const created = await post('/v1/pools', { name: 'imported', provider: 'twilio' });
    expect(created.statusCode, created.body).toBe(201);
    const poolId: string = created.json().id;
    const before = await smsUrls();

    const dry = await post(`/v1/pools/${poolId}/numbers/import`, { dry_run: true });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dry_run: true, webhook_url: inboundUrl, listed: 6 });
    const planned = byPhone(dry.json().numbers);
    expect(planned[LONG_CODE]).toMatchObject({
      result: 'added',
      kind: 'long_code',
      webhook: 'set',
    });
    expect(planned[VOICE_ONLY]).toMatchObject({ result: 'skipped_not_sms_capable' });
    expect(await poolNumbers(poolId)).toEqual({});
    expect(await smsUrls()).toEqual(before);

    const first = await post(`/v1/pools/${poolId}/numbers/import`);
    expect(first.statusCode, first.body).toBe(200);
    const done = byPhone(first.json().numbers);
    expect(done).toMatchObject({
      [LONG_CODE]: { kind: 'long_code', result: 'added', webhook: 'set', error: null },
      [LONG_CODE_2]: { kind: 'long_code', result: 'added', webhook: 'set' },
      [TOLL_FREE]: { kind: 'toll_free', result: 'added', webhook: 'set' },
      [SHORT_CODE]: { kind: 'short_code', result: 'added', webhook: 'set' },
      [VOICE_ONLY]: { kind: null, result: 'skipped_not_sms_capable', webhook: 'not_touched' },
      [ELSEWHERE]: { result: 'in_other_pool', pool_id: otherPool, webhook: 'not_touched' },
    });
    expect(first.json().counts).toEqual({ added: 4, skipped_not_sms_capable: 1, in_other_pool: 1 });
    expect(await poolNumbers(poolId)).toEqual({
      [LONG_CODE]: 'long_code',
      [LONG_CODE_2]: 'long_code',
      [TOLL_FREE]: 'toll_free',
      [SHORT_CODE]: 'short_code',
    });
    const configured = await smsUrls();
    for (const phone of [LONG_CODE, LONG_CODE_2, TOLL_FREE, SHORT_CODE])
      expect(configured[phone]).toBe(`POST ${inboundUrl}`);
    expect(configured[VOICE_ONLY]).toBe(before[VOICE_ONLY]);
    expect(configured[ELSEWHERE]).toBe(before[ELSEWHERE]);
    // Local numbers know where they are local to (geomatch); toll-free and short codes do not.
    const detail = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/pools/${poolId}`,
      headers: stack.api.auth,
    });
    const numbers = byPhone(detail.json().numbers);
    expect(numbers[LONG_CODE]).toMatchObject({ area_code: '415', mps: 1 });
    expect(numbers[TOLL_FREE]).toMatchObject({ area_code: null, mps: 3 });
    expect(numbers[SHORT_CODE]).toMatchObject({ area_code: null, mps: 100 });

    const again = await post(`/v1/pools/${poolId}/numbers/import`, { dry_run: false });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().counts).toEqual({
      already_in_pool: 4,
      skipped_not_sms_capable: 1,
      in_other_pool: 1,
    });
    for (const number of again
      .json()
      .numbers.filter((n: { result: string }) => n.result === 'already_in_pool'))
      expect(number.webhook).toBe('already_set');
    expect(await smsUrls()).toEqual(configured);
  });

  it('configures a pool number whose webhook was changed at Twilio since', async () => {
    const created = await post('/v1/pools', { name: 'drifted', provider: 'twilio' });
    const poolId: string = created.json().id;
    const drifting = '+13035550506';
    stack.sandbox.configure({ numbers: [{ phoneNumber: drifting }] });
    await post(`/v1/pools/${poolId}/numbers/import`);
    const [listed] = await twilio().incomingPhoneNumbers.list({ phoneNumber: drifting });
    expect(listed?.smsUrl).toBe(inboundUrl);
    await twilio()
      .incomingPhoneNumbers(listed?.sid ?? '')
      .update({ smsUrl: 'https://elsewhere.example.com/sms' });
    const again = await post(`/v1/pools/${poolId}/numbers/import`);
    expect(byPhone(again.json().numbers)[drifting]).toMatchObject({
      result: 'configured',
      webhook: 'set',
    });
  });

  it('refuses a Blooio pool, an unknown pool and bad bodies', async () => {
    const blooio = await post('/v1/pools', { name: 'imessage', provider: 'blooio' });
    const refused = await post(`/v1/pools/${blooio.json().id}/numbers/import`);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('provider_mismatch');
    const unknown = await post('/v1/pools/00000000-0000-4000-8000-000000000000/numbers/import');
    expect(unknown.statusCode).toBe(404);
    const created = await post('/v1/pools', { name: 'bad bodies', provider: 'twilio' });
    for (const payload of [{ dry_run: 'yes' }, { dry_run: true, extra: 1 }]) {
      const response = await post(`/v1/pools/${created.json().id}/numbers/import`, payload);
      expect(response.statusCode, response.body).toBe(400);
    }
  });
});
