import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.ts';
import { healthSettings } from '../../db/health-settings.ts';
import { applyStatusEvents, recordStatusEvents } from '../../db/status-events.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { seedAudience, seedPool } from '../support/seed.ts';

const health = healthSettings(loadConfig({}));

describe('status events', () => {
  let database: TestDatabase;
  let audienceId: string;
  let poolId: string;
  beforeAll(async () => {
    database = await freshDatabase();
    audienceId = await seedAudience(database.db, [{ phone: '+14155550777' }]);
    poolId = await seedPool(database.db, [{ phone: '+14155550100' }]);
  });
  afterAll(async () => {
    await database.destroy();
  });

  /** A message of a campaign of its own, being sent: each test has its own (any order). */
  const sendingMessage = async (): Promise<string> => {
    const { db } = database;
    const campaign = await db
      .insertInto('campaigns')
      .values({ name: 'c', audience_id: audienceId, sms_pool_id: poolId, workflow_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const contact = await db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
    const message = await db
      .insertInto('messages')
      .values({
        campaign_id: campaign.id,
        step: 0,
        contact_id: contact.id,
        to_phone: '+14155550777',
        status: 'sending',
        attempts: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return message.id;
  };

  /** The carrier's answer is stored: the message and its attempt get the sid. */
  const sidStored = async (messageId: string, sid: string) => {
    const { db } = database;
    const number = await db.selectFrom('sender_numbers').select('id').executeTakeFirstOrThrow();
    await db
      .updateTable('messages')
      .set({ provider_sid: sid, status: 'queued', from_number_id: number.id })
      .where('id', '=', messageId)
      .execute();
    await db
      .insertInto('message_attempts')
      .values({
        message_id: messageId,
        attempt: 1,
        from_number_id: number.id,
        provider_sid: sid,
        status: 'queued',
      })
      .execute();
  };

  const statusOf = (messageId: string) =>
    database.db
      .selectFrom('messages')
      .select(['status', 'final_at'])
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();

  const event = (sid: string, status: string, errorCode: number | null = null) => ({
    provider: 'twilio' as const,
    sid,
    status,
    errorCode,
    payload: { MessageStatus: status },
  });

  it('keeps a callback that arrives before its sid is stored, and applies it once the sid is known', async () => {
    const { db } = database;
    const messageId = await sendingMessage();
    const sid = 'SM0123456789abcdef0123456789abcde1';
    expect(
      await recordStatusEvents(db, [event(sid, 'sent'), event(sid, 'delivered')]),
    ).toMatchObject({
      stored: 2,
      duplicates: 0,
    });
    expect(await applyStatusEvents(db, { health })).toBe(0);
    const waiting = await db
      .selectFrom('message_events')
      .select('applied_at')
      .where('provider_sid', '=', sid)
      .execute();
    expect(waiting.map((row) => row.applied_at)).toEqual([null, null]);

    await sidStored(messageId, sid);
    expect(await applyStatusEvents(db, { health })).toBe(2);
    const row = await statusOf(messageId);
    expect(row.status).toBe('delivered');
    expect(row.final_at).not.toBeNull();
  });

  it('drops duplicates and never lets a late status overwrite a later one', async () => {
    const { db } = database;
    const messageId = await sendingMessage();
    const sid = 'SM0123456789abcdef0123456789abcde2';
    await sidStored(messageId, sid);
    await recordStatusEvents(db, [event(sid, 'sent'), event(sid, 'delivered')]);
    await applyStatusEvents(db, { health });
    expect((await statusOf(messageId)).status).toBe('delivered');

    expect(
      await recordStatusEvents(db, [
        event(sid, 'delivered'),
        event(sid, 'sent'),
        event(sid, 'queued'),
      ]),
    ).toMatchObject({ stored: 1, duplicates: 2 });
    await applyStatusEvents(db, { health });
    expect((await statusOf(messageId)).status).toBe('delivered');
  });
});
