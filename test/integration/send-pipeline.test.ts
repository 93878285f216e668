import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsSendError, type SentSms, type SmsCarrier } from '../../activities/carriers/sms.ts';
import { NumberPacer } from '../../activities/number-pacer.ts';
import type { SendContext } from '../../activities/send-context.ts';
import { sendRows } from '../../activities/send-pipeline.ts';
import { campaignSendPolicy } from '../../activities/send-policy.ts';
import { loadConfig } from '../../config/env.ts';
import { healthSettings } from '../../db/health-settings.ts';
import { recordSettledSends } from '../../db/carrier-opt-outs.ts';
import { recordSettled } from '../../db/message-writes.ts';
import { dueMessages, materializeRange } from '../../db/messages.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';

type Behaviour = 'accept' | 'slow' | 'lose_answer' | 'refuse_503' | 'never_answer';

/**
 * A carrier in memory: what it created, and how it treats each recipient. `lose_answer`
 * creates the message and then drops the connection; `refuse_503` creates nothing.
 */
class FakeCarrier implements SmsCarrier {
  readonly created: (SentSms & { to: string; from: string; at: Date; lookupsBefore?: number })[] =
    [];
  readonly behaviour = new Map<string, Behaviour>();

  async send(message: { to: string; from: string; body: string }): Promise<SentSms> {
    const how = this.behaviour.get(message.to) ?? 'accept';
    if (how === 'refuse_503') throw new SmsSendError('Service Unavailable', 20503, 503);
    if (how === 'slow') await new Promise((resolve) => setTimeout(resolve, 2_500));
    const sent = {
      // Unique across carriers: the tests share one database, where sids are unique.
      sid: `SM${randomUUID().replaceAll('-', '')}`,
      status: 'queued',
      body: message.body,
      errorCode: null,
    };
    this.created.push({
      ...sent,
      to: message.to,
      from: message.from,
      at: new Date(),
      lookupsBefore: this.lookups.get(message.to) ?? 0,
    });
    if (how === 'lose_answer')
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    if (how === 'never_answer') {
      await new Promise((resolve) => setTimeout(resolve, 300));
      throw Object.assign(new Error('timeout of 300ms exceeded'), { code: 'ECONNABORTED' });
    }
    return sent;
  }

  async fetch(sid: string): Promise<SentSms> {
    const found = this.created.find((message) => message.sid === sid);
    if (found === undefined) throw new SmsSendError('not found', 20404, 404);
    return found;
  }

  /** Lookups per recipient, and how many had been made when each message was created. */
  readonly lookups = new Map<string, number>();

  async findSent(query: { to: string; from: string; since: Date }): Promise<SentSms[]> {
    this.lookups.set(query.to, (this.lookups.get(query.to) ?? 0) + 1);
    return this.created.filter(
      (m) => m.to === query.to && m.from === query.from && m.at >= query.since,
    );
  }

  textsTo(to: string) {
    return this.created.filter((message) => message.to === to);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SENDERS = ['+14155550701', '+14155550702', '+14155550703'];
const RESOLVE_MS = 300;

describe('the send pipeline, with a fake carrier', () => {
  let database: TestDatabase;
  let campaignId: string;
  let audienceId: string;
  let poolId: string;
  let phones: string[];
  beforeAll(async () => {
    database = await freshDatabase();
    const { db } = database;
    phones = contactPhones(12, '415');
    audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    poolId = await seedPool(
      db,
      SENDERS.map((phone) => ({ phone, mps: 100 })),
    );
    const campaign = await db
      .insertInto('campaigns')
      .values({
        name: 'pipeline',
        audience_id: audienceId,
        sms_pool_id: poolId,
        retry_policy: JSON.stringify({ max_attempts: 3, backoff_seconds: 0 }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    campaignId = campaign.id;
    await materializeRange(db, campaignId, audienceId, 0, { after: null, upTo: '999999999' });
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const context = (sms: SmsCarrier): SendContext => ({
    db: database.db,
    sms,
    now: () => new Date(),
    poolId,
    content: { template: 'Hi {{first_name}}', mediaUrls: [] },
    policy: campaignSendPolicy({ start: '00:00', end: '24:00' }, DAYTIME_ZONE),
    retryPolicy: { max_attempts: 3, backoff_seconds: 0 },
    statusCallback: 'http://127.0.0.1:9/webhooks/twilio/status',
    concurrency: 4,
    rateHeadroom: 0,
    health: healthSettings(loadConfig({})),
    requestTimeoutMs: 300,
    resolveAfterMs: RESOLVE_MS,
    interrupted: async () => false,
    interruptedNow: () => false,
    stopInterruptionChecks: () => {},
    pacer: new NumberPacer(),
  });
  const due = () => dueMessages(database.db, { id: campaignId, audienceId }, new Date(), 0, 1, 100);
  const row = (phone: string) =>
    database.db
      .selectFrom('messages')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('to_phone', '=', phone)
      .executeTakeFirstOrThrow();

  it('sends every row once, heartbeating while the carrier is slow', async () => {
    const carrier = new FakeCarrier();
    const [slow = ''] = phones;
    carrier.behaviour.set(slow, 'slow');
    const [lost = '', refused = ''] = phones.slice(1);
    carrier.behaviour.set(lost, 'lose_answer');
    carrier.behaviour.set(refused, 'refuse_503');
    const env = new MockActivityEnvironment();
    let heartbeats = 0;
    env.on('heartbeat', () => (heartbeats += 1));
    const outcome: Awaited<ReturnType<typeof sendRows>> = await env.run(
      sendRows,
      context(carrier),
      await due(),
    );
    expect(outcome.considered).toBe(phones.length);
    // The slow answer took 2.5 s: the heartbeat timer kept beating meanwhile.
    expect(heartbeats).toBeGreaterThanOrEqual(2);
    expect(carrier.created).toHaveLength(phones.length - 1);
    expect(await row(slow)).toMatchObject({ status: 'queued', attempts: 1 });
    // Both lost answers are `unknown`, to be asked about, never sent again blindly.
    for (const phone of [lost, refused]) {
      const unknown = await row(phone);
      expect(unknown).toMatchObject({ status: 'unknown', attempts: 1, provider_sid: null });
      expect(unknown.next_attempt_at).not.toBeNull();
    }
  });

  it('adopts a message the carrier created, and resends one it has no trace of only after two lookups', async () => {
    const carrier = new FakeCarrier();
    const [, lost = '', refused = ''] = phones;
    // The first run's carrier created `lost`'s message: the same carrier is asked now.
    const first = await database.db
      .selectFrom('messages')
      .select(['to_phone', 'from_phone', 'body'])
      .where('campaign_id', '=', campaignId)
      .where('to_phone', '=', lost)
      .executeTakeFirstOrThrow();
    carrier.created.push({
      sid: 'SMlost00000000000000000000000000',
      status: 'sent',
      body: first.body ?? '',
      errorCode: null,
      to: lost,
      from: first.from_phone ?? '',
      at: new Date(),
    });
    // Runs the pipeline over whatever is due until `done` holds (each run as a new attempt).
    const runUntil = async (done: () => Promise<boolean>) => {
      const deadline = Date.now() + 20_000;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error('the rows never settled');
        await sleep(RESOLVE_MS / 3);
        await new MockActivityEnvironment().run(sendRows, context(carrier), await due());
      }
    };
    await runUntil(async () => (await row(lost)).status === 'queued');
    expect(await row(lost)).toMatchObject({
      provider_sid: 'SMlost00000000000000000000000000',
      attempts: 1,
    });
    await runUntil(async () => (await row(refused)).status === 'queued');
    const resent = await row(refused);
    expect(resent).toMatchObject({ status: 'queued', attempts: 2 });
    expect(carrier.textsTo(refused)).toHaveLength(1);
    // Sent again only after the carrier twice had no trace of the first request.
    expect(carrier.textsTo(refused)[0]?.lookupsBefore).toBeGreaterThanOrEqual(2);
    const [text] = carrier.textsTo(refused);
    const firstFrom = await database.db
      .selectFrom('message_attempts')
      .select('from_number_id')
      .where('message_id', '=', resent.id)
      .where('attempt', '=', 1)
      .executeTakeFirstOrThrow();
    const firstPhone = await database.db
      .selectFrom('sender_numbers')
      .select('phone')
      .where('id', '=', firstFrom.from_number_id ?? '0')
      .executeTakeFirstOrThrow();
    // The retry left from another number.
    expect(text?.from).not.toBe(firstPhone.phone);
    expect(await due()).toHaveLength(0);
  });

  it('lets no superseded claim overwrite a row', async () => {
    const [, , , phone = ''] = phones;
    const before = await row(phone);
    const written = await recordSettled(database.db, randomUUID(), [
      {
        messageId: before.id,
        numberId: before.from_number_id ?? '0',
        settlement: {
          status: 'failed',
          sid: null,
          errorCode: 30008,
          nextAttemptAt: null,
          final: true,
          attempted: true,
          attemptStatus: 'failed',
          waitReason: null,
          misconfiguredSender: null,
          carrierOptOut: null,
        },
      },
    ]);
    expect(written.size).toBe(0);
    expect(await row(phone)).toEqual(before);
  });

  it("records no carrier opt-out for a superseded claim's 21610", async () => {
    const [, , , phone = ''] = phones;
    const before = await row(phone);
    const written = await recordSettledSends(
      database.db,
      randomUUID(),
      [
        {
          messageId: before.id,
          numberId: before.from_number_id ?? '0',
          settlement: {
            status: 'failed',
            sid: null,
            errorCode: 21610,
            nextAttemptAt: null,
            final: true,
            attempted: true,
            attemptStatus: 'failed',
            waitReason: null,
            misconfiguredSender: null,
            carrierOptOut: { errorCode: 21610, detail: '21610: unsubscribed' },
          },
        },
      ],
      new Date(),
    );
    expect(written.size).toBe(0);
    expect(await row(phone)).toEqual(before);
    const contact = await database.db
      .selectFrom('contacts')
      .select(['id', 'opted_out_at'])
      .where('phone', '=', phone)
      .executeTakeFirstOrThrow();
    expect(contact.opted_out_at).toBeNull();
    const events = await database.db
      .selectFrom('consent_events')
      .select('id')
      .where('contact_id', '=', contact.id)
      .execute();
    expect(events).toEqual([]);
  });
});

describe('a cancelled send attempt', () => {
  let database: TestDatabase;
  afterAll(async () => {
    await database?.destroy();
  });

  it('stops dispatching at once and releases its claims without counting an attempt', async () => {
    database = await freshDatabase();
    const { db } = database;
    const phones = contactPhones(20, '212');
    const audienceId = await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    // One number at 2 MPS: twenty messages take ten seconds of slots.
    const poolId = await seedPool(db, [{ phone: '+12125550799', mps: 2 }]);
    const campaign = await db
      .insertInto('campaigns')
      .values({ name: 'cancel', audience_id: audienceId, sms_pool_id: poolId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await materializeRange(db, campaign.id, audienceId, 0, { after: null, upTo: '999999999' });
    const carrier = new FakeCarrier();
    const env = new MockActivityEnvironment();
    const rows = await dueMessages(db, { id: campaign.id, audienceId }, new Date(), 0, 1, 100);
    const running = env.run(
      sendRows,
      {
        db,
        sms: carrier,
        now: () => new Date(),
        poolId,
        content: { template: 'Hi', mediaUrls: [] },
        policy: campaignSendPolicy({ start: '00:00', end: '24:00' }, DAYTIME_ZONE),
        retryPolicy: { max_attempts: 3, backoff_seconds: 0 },
        statusCallback: 'http://127.0.0.1:9/status',
        concurrency: 4,
        rateHeadroom: 0,
        health: healthSettings(loadConfig({})),
        requestTimeoutMs: 300,
        resolveAfterMs: RESOLVE_MS,
        interrupted: async () => false,
        interruptedNow: () => false,
        stopInterruptionChecks: () => {},
        pacer: new NumberPacer(),
      },
      rows,
    );
    const started = Date.now();
    while (carrier.created.length < 2 && Date.now() - started < 10_000) await sleep(20);
    env.cancel();
    await expect(running).rejects.toThrow();
    const sent = carrier.created.length;
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(sent).toBeLessThan(phones.length);
    const statuses = await db
      .selectFrom('messages')
      .select(['status', 'attempts', 'next_attempt_at'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(statuses.filter((m) => m.status === 'queued')).toHaveLength(sent);
    const released = statuses.filter((m) => m.status === 'pending');
    expect(released).toHaveLength(phones.length - sent);
    expect(released.every((m) => m.attempts === 0 && m.next_attempt_at === null)).toBe(true);
  });
});
