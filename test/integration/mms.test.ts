import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/services/temporal.ts';
import { launch, waitFor, waitForStatus } from '../support/campaigns.ts';
import { seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const SENDER = '+14155550301';
const MMS_SENDER = '+14155550302';

describe('MMS', () => {
  let stack: CampaignStack;
  let media: Server;
  let mediaUrl: string;
  let poolId: string;
  beforeAll(async () => {
    media = createServer((request, response) => {
      if (request.url === '/menu.png') {
        response.writeHead(200, { 'content-type': 'image/png', 'content-length': '4' });
        response.end(request.method === 'HEAD' ? undefined : 'png!');
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
    mediaUrl = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
    stack = await startCampaignStack({
      sandbox: {
        numbers: [
          { phoneNumber: SENDER, mps: 50, latencyMs: 5 },
          { phoneNumber: MMS_SENDER, mps: 50, mmsMps: 4, latencyMs: 5 },
        ],
      },
    });
    poolId = await seedPool(stack.api.database.db, [{ phone: SENDER, mps: 50 }]);
  });
  afterAll(async () => {
    await stack?.close();
    media?.close();
  });

  const send = (payload: Record<string, unknown>) =>
    stack.api.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: stack.api.auth,
      payload: { pool_id: poolId, body: 'Tonight’s menu', ...payload },
    });
  const get = async (id: string) =>
    (
      await stack.api.app.inject({
        method: 'GET',
        url: `/v1/messages/${id}`,
        headers: stack.api.auth,
      })
    ).json();
  const settled = (id: string) =>
    waitFor(`message ${id} to settle`, async () => {
      const message = await get(id);
      return ['delivered', 'failed', 'undelivered'].includes(message.status) ? message : undefined;
    });

  it('refuses more than 10 media and a URL that is not http(s) at the edge', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `${mediaUrl}/menu.png?${i}`);
    const tooMany = await send({ to: '+14155551001', media_urls: eleven });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toContain('at most 10 media URLs');
    const badScheme = await send({ to: '+14155551001', media_urls: ['ftp://example.com/a.png'] });
    expect(badScheme.statusCode).toBe(400);
    expect(badScheme.json().error.message).toContain('http or https');
    const { db } = stack.api.database;
    const audienceId = await seedAudience(db, [{ phone: '+14155551002' }]);
    const campaign = await stack.api.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: stack.api.auth,
      payload: {
        name: 'too much media',
        audience_id: audienceId,
        sms_pool_id: poolId,
        steps: [{ template: 'Hi', media_urls: eleven }],
      },
    });
    expect(campaign.statusCode).toBe(400);
  });

  it('sends media as MediaUrl, shows num_media, and fails an unreachable URL with 11200', async () => {
    const { db } = stack.api.database;
    await seedAudience(db, [
      { phone: '+14155551011', timeZone: DAYTIME_ZONE },
      { phone: '+14155551012', timeZone: DAYTIME_ZONE },
    ]);
    const ok = await send({ to: '+14155551011', media_urls: [`${mediaUrl}/menu.png`] });
    expect(ok.statusCode, ok.body).toBe(202);
    expect(ok.json()).toMatchObject({ num_media: 1, media_urls: [`${mediaUrl}/menu.png`] });
    expect(await settled(ok.json().id)).toMatchObject({ status: 'delivered', num_media: 1 });
    const [entry] = (await stack.sandbox.ledger({ to: '+14155551011' })).entries;
    expect(entry?.mediaUrls).toEqual([`${mediaUrl}/menu.png`]);

    const closedPort = await freePort();
    const unreachable = `http://127.0.0.1:${closedPort}/gone.png`;
    const bad = await send({
      to: '+14155551012',
      media_urls: [unreachable],
      retry_policy: { max_attempts: 3, backoff_seconds: 0 },
    });
    expect(bad.statusCode, bad.body).toBe(202);
    const failed = await settled(bad.json().id);
    // Twilio's error for media it could not retrieve; retrying cannot fix it.
    expect(failed).toMatchObject({
      status: 'failed',
      error_code: 11200,
      num_media: 1,
      attempts: 1,
    });
  });

  it('paces MMS at the number’s MMS rate and sends a campaign step’s media', async () => {
    const { db } = stack.api.database;
    const mmsPool = await seedPool(db, [{ phone: MMS_SENDER, mps: 50 }]);
    await db
      .updateTable('sender_numbers')
      .set({ mms_mps: 4 })
      .where('phone', '=', MMS_SENDER)
      .execute();
    const phones = Array.from({ length: 12 }, (_, i) => `+1415555${String(2000 + i)}`);
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    const created = await stack.api.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: stack.api.auth,
      payload: {
        name: 'menu',
        audience_id: audienceId,
        sms_pool_id: mmsPool,
        quiet_hours: { start: '00:00', end: '24:00' },
        steps: [{ template: 'Hi {{first_name}}, the menu', media_urls: [`${mediaUrl}/menu.png`] }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const campaignId: string = created.json().id;
    expect(created.json().steps[0].media_urls).toEqual([`${mediaUrl}/menu.png`]);
    await launch(stack.api, campaignId);
    await waitForStatus(stack.api, campaignId, 'completed');
    const ledger = await stack.sandbox.ledger({ from: MMS_SENDER });
    expect(ledger.total).toBe(12);
    for (const entry of ledger.entries) expect(entry.mediaUrls).toEqual([`${mediaUrl}/menu.png`]);
    const report = await stack.sandbox.mpsViolations();
    expect(report.byNumber[`${MMS_SENDER} mms`]?.violations).toBe(0);
    expect(report.byNumber[`${MMS_SENDER} mms`]?.peak).toBeLessThanOrEqual(4);
    const times = ledger.entries.map((entry) => Date.parse(entry.at));
    // Twelve MMS at 4 a second (less headroom) take well over two seconds.
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThan(2_000);
  });
});
