import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeliveryWorkflowId } from '../../core/webhook-contracts.ts';
import { verifyWebhookSignature } from '../../core/webhook-signature.ts';
import { DEFAULT_BLOOIO_NUMBERS } from '../../sandbox/settings.ts';
import { launch, waitFor, waitForStatus } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

const SENDERS = ['+14155550031', '+14155550032'];
/** Every event's first attempts are answered 500; the one after them, 200. */
const FAILURES_PER_EVENT = 2;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A receiver of the operator's own: keeps every request, fails each event's first attempts. */
async function startReceiver(): Promise<{
  server: Server;
  url: string;
  requests: Received[];
  /** Event types answered 503 for as long as they are in here. */
  held: Set<string>;
}> {
  const requests: Received[] = [];
  const held = new Set<string>();
  const attemptsById = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(request.headers['tandem-event-id']);
      const attempt = (attemptsById.get(id) ?? 0) + 1;
      attemptsById.set(id, attempt);
      const type = String(request.headers['tandem-event-type']);
      const answered = held.has(type) ? 503 : attempt > FAILURES_PER_EVENT ? 200 : 500;
      requests.push({ headers: request.headers, body, answered });
      response.statusCode = answered;
      response.end(answered === 200 ? 'ok' : 'try again');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/hooks`, requests, held };
}

describe('notifications to the operator’s own systems', () => {
  let stack: CampaignStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let endpoint: { id: string; secret: string };
  let phones: string[];
  let smsPool: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    stack = await startCampaignStack({
      sandbox: { numbers: SENDERS.map((phoneNumber) => ({ phoneNumber, mps: 50 })) },
      env: {
        WEBHOOK_RETRY_INITIAL_SECONDS: '0.2',
        WEBHOOK_RETRY_MAX_SECONDS: '1',
        WEBHOOK_MAX_ATTEMPTS: '30',
        BLOOIO_RETRY_INITIAL_SECONDS: '0.2',
      },
    });
  });
  afterAll(async () => {
    if (stack !== undefined && endpoint !== undefined) {
      // Disabled, the endpoint's workflow ends: nothing keeps the worker from stopping.
      await stack.api.app.inject({
        method: 'DELETE',
        url: `/v1/webhook-endpoints/${endpoint.id}`,
        headers: stack.api.auth,
      });
      const handle = stack.api.temporal.workflow.getHandle(
        webhookDeliveryWorkflowId(endpoint.id, stack.api.config.WORKFLOW_ID_SCOPE),
      );
      await handle.result();
    }
    await stack?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  const post = (payload: unknown) =>
    stack.api.app.inject({
      method: 'POST',
      url: '/v1/webhook-endpoints',
      headers: stack.api.auth,
      payload: payload as Record<string, unknown>,
    });

  it('refuses a bad endpoint with a 400 that says why', async () => {
    const cases: [unknown, string, string][] = [
      [
        { url: receiver.url, events: ['contact.opted_out', 'contact.opted_in'] },
        'unknown_event',
        'contact.opted_in',
      ],
      [{ url: receiver.url, events: [] }, 'no_events', 'at least one'],
      [{ url: 'ftp://example.com/x', events: ['campaign.completed'] }, 'invalid_url', 'http'],
      [{ url: 'not a url', events: ['campaign.completed'] }, 'invalid_url', 'http'],
      [{ events: ['campaign.completed'] }, 'invalid_request', 'url'],
    ];
    for (const [payload, code, words] of cases) {
      const response = await post(payload);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toContain('application/json');
      expect(response.json().error.code).toBe(code);
      expect(response.json().error.message).toContain(words);
    }
    const missing = await stack.api.app.inject({
      method: 'GET',
      url: '/v1/webhook-endpoints/we_nope/deliveries',
      headers: stack.api.auth,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
  });

  it('delivers every event of the real paths once by id, signed, in each conversation’s order', async () => {
    const created = await post({
      url: receiver.url,
      description: 'CRM',
      events: [
        'conversation.reply_received',
        'conversation.handed_off',
        'contact.opted_out',
        'campaign.completed',
        'number.state_changed',
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    endpoint = created.json();
    expect(endpoint.secret).toMatch(/^whsec_[\w-]{20,}$/);
    const listed = await stack.api.app.inject({
      method: 'GET',
      url: '/v1/webhook-endpoints',
      headers: stack.api.auth,
    });
    expect(listed.json().endpoints).toEqual([
      expect.objectContaining({ id: endpoint.id, url: receiver.url, enabled: true }),
    ]);
    expect(listed.body).not.toContain(endpoint.secret);

    // A broadcast that completes.
    const { db } = stack.api.database;
    phones = contactPhones(4, '629');
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    smsPool = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 50 })),
    );
    const blooioPool = await seedPool(
      db,
      DEFAULT_BLOOIO_NUMBERS.map((phone) => ({ phone })),
      { provider: 'blooio' },
    );
    const campaign = await stack.api.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: stack.api.auth,
      payload: {
        name: 'notified',
        audience_id: audienceId,
        sms_pool_id: smsPool,
        followup_pool_id: blooioPool,
        sending_window: { start: '00:00', end: '24:00' },
        steps: [{ template: 'Hi, reply YES to learn more' }],
      },
    });
    expect(campaign.statusCode, campaign.body).toBe(201);
    const campaignId: string = campaign.json().id;
    await launch(stack.api, campaignId);
    await waitForStatus(stack.api, campaignId, 'completed');

    // Three say YES (reply received, then handed off); one of them then says STOP.
    const sms = await stack.sandbox.ledger({ channel: 'sms' });
    const senderOf = (phone: string) => sms.entries.find((entry) => entry.to === phone)?.from ?? '';
    const yes = phones.slice(0, 3);
    for (const phone of yes)
      stack.sandbox.injectSms({ from: phone, to: senderOf(phone), body: 'YES' });
    const eventsOf = async (type: string) =>
      db.selectFrom('webhook_events').selectAll().where('type', '=', type).orderBy('id').execute();
    await waitFor('three hand-offs', async () =>
      (await eventsOf('conversation.handed_off')).length === 3 ? true : undefined,
    );
    const stopper = yes[0] ?? '';
    stack.sandbox.injectSms({ from: stopper, to: senderOf(stopper), body: 'STOP' });
    await waitFor('the opt-out', async () =>
      (await eventsOf('contact.opted_out')).length === 1 ? true : undefined,
    );
    // A number taken out of the pool changes state.
    const retired = await stack.api.app.inject({
      method: 'DELETE',
      url: `/v1/pools/${smsPool}/numbers/${encodeURIComponent(SENDERS[1] ?? '')}`,
      headers: stack.api.auth,
    });
    expect(retired.statusCode, retired.body).toBe(200);

    const events = await db.selectFrom('webhook_events').selectAll().orderBy('id').execute();
    const counts = (type: string) => events.filter((event) => event.type === type).length;
    expect(counts('campaign.completed')).toBe(1);
    expect(counts('conversation.reply_received')).toBe(4);
    expect(counts('conversation.handed_off')).toBe(3);
    expect(counts('contact.opted_out')).toBe(1);
    expect(counts('number.state_changed')).toBe(1);

    const accepted = () => receiver.requests.filter((request) => request.answered === 200);
    await waitFor(
      'every event accepted by the receiver',
      async () => (accepted().length >= events.length ? true : undefined),
      90_000,
    );

    // Exactly once by id: each event accepted once, after its failed attempts, same bytes.
    const acceptedIds = accepted().map((request) => request.headers['tandem-event-id']);
    expect(new Set(acceptedIds).size).toBe(acceptedIds.length);
    expect(new Set(acceptedIds)).toEqual(new Set(events.map((event) => event.public_id)));
    for (const event of events) {
      const attempts = receiver.requests.filter(
        (request) => request.headers['tandem-event-id'] === event.public_id,
      );
      expect(attempts.map((attempt) => attempt.answered)).toEqual([500, 500, 200]);
      expect(new Set(attempts.map((attempt) => attempt.body)).size).toBe(1);
    }
    // Valid signatures, and the body says what the headers say.
    for (const request of receiver.requests) {
      const check = verifyWebhookSignature(
        endpoint.secret,
        {
          signature: request.headers['tandem-signature'] as string | undefined,
          timestamp: request.headers['tandem-timestamp'] as string | undefined,
          body: request.body,
        },
        Math.floor(Date.now() / 1000),
      );
      expect(check).toEqual({ ok: true });
      const body = JSON.parse(request.body);
      expect(body.id).toBe(request.headers['tandem-event-id']);
      expect(Object.keys(body).sort()).toEqual(['created_at', 'data', 'id', 'type']);
    }
    // Each conversation's (and campaign's, and number's) events arrive in the order they happened.
    const arrival = (key: string) =>
      accepted()
        .map((request) => JSON.parse(request.body))
        .filter((body) => events.find((event) => event.public_id === body.id)?.ordering_key === key)
        .map((body) => body.type);
    for (const key of new Set(events.map((event) => event.ordering_key))) {
      expect(arrival(key), key).toEqual(
        events.filter((event) => event.ordering_key === key).map((event) => event.type),
      );
    }
    expect(arrival(stopper)).toEqual([
      'conversation.reply_received',
      'conversation.handed_off',
      'conversation.reply_received',
      'contact.opted_out',
    ]);

    // The payloads carry the facts.
    const bodies = accepted().map((request) => JSON.parse(request.body));
    const ofType = (type: string) => bodies.filter((body) => body.type === type);
    expect(ofType('campaign.completed')[0].data).toMatchObject({
      campaign: { id: campaignId, name: 'notified' },
      status: 'completed',
      messages_by_status: { delivered: 4 },
    });
    expect(ofType('contact.opted_out')[0].data).toMatchObject({
      contact: { phone: stopper },
      channel: 'sms',
      source: 'sms_keyword',
      keyword: 'STOP',
      detail: 'STOP',
      campaign_id: campaignId,
    });
    expect(
      ofType('conversation.handed_off')
        .map((body) => body.data.contact.phone)
        .sort(),
    ).toEqual([...yes].sort());
    expect(ofType('conversation.handed_off')[0].data.line).toMatch(/^\+1/);
    expect(ofType('number.state_changed')[0].data).toMatchObject({
      number: { phone: SENDERS[1], pool_id: smsPool },
      from_state: 'active',
      to_state: 'retired',
    });
    const replies = ofType('conversation.reply_received').map((body) => body.data);
    expect(replies.filter((data) => data.body === 'YES')).toHaveLength(3);
    expect(replies.every((data) => data.channel === 'sms' && data.campaign_id === campaignId)).toBe(
      true,
    );

    // The deliveries, with their attempts, newest first, page by page.
    const page = async (cursor?: string) => {
      const response = await stack.api.app.inject({
        method: 'GET',
        url: `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=4${cursor === undefined ? '' : `&cursor=${cursor}`}`,
        headers: stack.api.auth,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    const deliveries: {
      event_id: string;
      status: string;
      attempts: number;
      last_status_code: number;
    }[] = [];
    let next: string | undefined;
    do {
      const body = await page(next);
      deliveries.push(...body.deliveries);
      next = body.next_cursor ?? undefined;
    } while (next !== undefined);
    expect(deliveries.map((delivery) => delivery.event_id)).toEqual(
      [...events].reverse().map((event) => event.public_id),
    );
    await waitFor('every delivery recorded as delivered', async () => {
      const all = (await page()).deliveries as { status: string }[];
      return all.every((delivery) => delivery.status === 'delivered') ? true : undefined;
    });
    for (const delivery of (await page()).deliveries) {
      expect(delivery).toMatchObject({
        status: 'delivered',
        attempts: FAILURES_PER_EVENT + 1,
        last_status_code: 200,
        last_error: null,
      });
    }
  });

  it('keeps delivering other conversations while one key is being retried', async () => {
    const { db } = stack.api.database;
    receiver.held.add('number.state_changed');
    // The retired number comes back (a state change, held by the receiver), then a reply.
    const readded = await stack.api.app.inject({
      method: 'POST',
      url: `/v1/pools/${smsPool}/numbers`,
      headers: stack.api.auth,
      payload: { phone: SENDERS[1], mps: 50 },
    });
    expect(readded.statusCode, readded.body).toBe(201);
    const numberEvent = await waitFor('the number event', async () =>
      db
        .selectFrom('webhook_events')
        .selectAll()
        .where('type', '=', 'number.state_changed')
        .orderBy('id', 'desc')
        .executeTakeFirst()
        .then((event) => (event?.data.to_state === 'active' ? event : undefined)),
    );
    const replier = phones[1] ?? '';
    stack.sandbox.injectSms({ from: replier, to: SENDERS[0] ?? '', body: 'thanks' });
    const bodyOf = (request: Received) => JSON.parse(request.body);
    await waitFor('the reply delivered while the number event is refused', async () =>
      receiver.requests.some(
        (request) => request.answered === 200 && bodyOf(request).data.body === 'thanks',
      )
        ? true
        : undefined,
    );
    const held = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/webhook-endpoints/${endpoint.id}/deliveries?status=failing`,
      headers: stack.api.auth,
    });
    expect(held.json().deliveries).toEqual([
      expect.objectContaining({
        event_id: numberEvent.public_id,
        event_type: 'number.state_changed',
        status: 'failing',
        last_status_code: 503,
        last_error: 'HTTP 503',
      }),
    ]);
    expect(held.json().deliveries[0].attempts).toBeGreaterThanOrEqual(1);

    receiver.held.delete('number.state_changed');
    await waitFor('the number event delivered once released', async () =>
      receiver.requests.some(
        (request) =>
          request.answered === 200 && request.headers['tandem-event-id'] === numberEvent.public_id,
      )
        ? true
        : undefined,
    );
    expect(
      bodyOf(receiver.requests.find((r) => r.headers['tandem-event-id'] === numberEvent.public_id)!)
        .data,
    ).toMatchObject({
      number: { phone: SENDERS[1] },
      from_state: 'retired',
      to_state: 'active',
    });
  });
});
