import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.ts';
import { healthSettings } from '../../db/health-settings.ts';
import { applyStatusEvents, recordStatusEvents } from '../../db/status-events.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { seedAudience, seedPool } from '../support/seed.ts';

const health = healthSettings(loadConfig({}));

describe('status events', () => {
  let database: TestDatabase;
  let messageId: string;
  beforeAll(async () => {
    database = await freshDatabase();
    const { db } = database;
    const audienceId = await seedAudience(db, [{ phone: '+14155550777' }]);
    const poolId = await seedPool(db, [{ phone: '+14155550100' }]);
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
    messageId = message.id;
  });
  afterAll(async () => {
    await database.destroy();
  });

  const event = (status: string, errorCode: number | null = null) => ({
    provider: 'twilio' as const,
    sid: 'SM0123456789abcdef0123456789abcdef',
    status,
    errorCode,
    payload: { MessageStatus: status },
  });

  it('keeps a callback that arrives before its sid is stored, and applies it once the sid is known', async () => {
    const { db } = database;
    expect(await recordStatusEvents(db, [event('sent'), event('delivered')])).toMatchObject({
      stored: 2,
      duplicates: 0,
    });
    expect(await applyStatusEvents(db, { health })).toBe(0);
    const waiting = await db.selectFrom('message_events').select('applied_at').execute();
    expect(waiting.map((row) => row.applied_at)).toEqual([null, null]);

    const number = await db.selectFrom('sender_numbers').select('id').executeTakeFirstOrThrow();
    await db
      .updateTable('messages')
      .set({ provider_sid: event('x').sid, status: 'queued', from_number_id: number.id })
      .where('id', '=', messageId)
      .execute();
    await db
      .insertInto('message_attempts')
      .values({
        message_id: messageId,
        attempt: 1,
        from_number_id: number.id,
        provider_sid: event('x').sid,
        status: 'queued',
      })
      .execute();
    expect(await applyStatusEvents(db, { health })).toBe(2);
    const row = await db
      .selectFrom('messages')
      .select(['status', 'final_at'])
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('delivered');
    expect(row.final_at).not.toBeNull();
  });

  it('drops duplicates and never lets a late status overwrite a later one', async () => {
    const { db } = database;
    expect(
      await recordStatusEvents(db, [event('delivered'), event('sent'), event('queued')]),
    ).toMatchObject({ stored: 1, duplicates: 2 });
    await applyStatusEvents(db, { health });
    const row = await db
      .selectFrom('messages')
      .select('status')
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('delivered');
  });
});
