import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStatusEventBatcher } from '../../api/status-event-batcher.ts';
import type { Db } from '../../db/connect.ts';
import { markOutboundAccepted, reserveOutbound } from '../../db/conversation-messages.ts';
import type { StatusEventInput } from '../../db/status-events.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { phoneFor, seedAudience } from '../support/seed.ts';
import { blooioWebhook } from './replies-fixtures.ts';

/**
 * Status callbacks are stored by group-committed statements, and two of them (two API
 * processes with the same duplicate callbacks in the other order) can deadlock on
 * message_events' unique key. Which one PostgreSQL aborts depends on whose deadlock_timeout
 * runs out first, so the tests do not stage the race: a trigger makes the first row the
 * statement inserts fail as the victim of a deadlock would (SQLSTATE 40P01, the error rolls
 * the statement back), once; a sequence counts, as it is not rolled back with it.
 */
async function failFirstInsertAsDeadlockVictim(db: Db): Promise<void> {
  await sql`
    CREATE SEQUENCE test_deadlock_fault;
    CREATE FUNCTION test_deadlock_fault() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF nextval('test_deadlock_fault') = 1 THEN
        RAISE EXCEPTION 'deadlock detected (injected by the test)' USING ERRCODE = 'deadlock_detected';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_deadlock_fault BEFORE INSERT ON message_events
      FOR EACH ROW EXECUTE FUNCTION test_deadlock_fault()`.execute(db);
}

async function removeFault(db: Db): Promise<void> {
  await sql`
    DROP TRIGGER IF EXISTS test_deadlock_fault ON message_events;
    DROP FUNCTION IF EXISTS test_deadlock_fault();
    DROP SEQUENCE IF EXISTS test_deadlock_fault`.execute(db);
}

const faultsRaised = async (db: Db) => {
  const row = await sql<{
    n: string;
  }>`SELECT last_value::text AS n FROM test_deadlock_fault`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
};

describe('a status callback whose statement PostgreSQL makes a deadlock victim', () => {
  let api: TestApi;
  const db = (): Db => api.database.db;

  beforeAll(async () => {
    api = await startTestApi();
    await seedAudience(db(), [{ phone: phoneFor(1) }]);
  });
  afterEach(async () => {
    await removeFault(db());
  });
  afterAll(async () => {
    await api?.close();
  });

  const twilioCallback = (sid: string): StatusEventInput => ({
    provider: 'twilio',
    sid,
    status: 'delivered',
    errorCode: null,
    payload: { MessageSid: sid, MessageStatus: 'delivered' },
  });

  it('Twilio: the batch runs again, and every callback in it is stored and answered', async () => {
    await failFirstInsertAsDeadlockVictim(db());
    const stored: string[] = [];
    const batcher = createStatusEventBatcher(db(), (ids) => stored.push(...ids));
    await Promise.all([batcher.store(twilioCallback('SM1')), batcher.store(twilioCallback('SM2'))]);
    // The first attempt failed, the second stored the batch.
    expect(await faultsRaised(db())).toBeGreaterThan(1);
    const rows = await db()
      .selectFrom('message_events')
      .select(['id', 'provider_sid'])
      .where('provider', '=', 'twilio')
      .orderBy('id')
      .execute();
    expect(rows.map((row) => row.provider_sid)).toEqual(['SM1', 'SM2']);
    expect(stored).toEqual(rows.map((row) => row.id));
  });

  it('Blooio: the status is stored and applied, and the webhook answers 204', async () => {
    const contact = await db().selectFrom('contacts').select('id').executeTakeFirstOrThrow();
    const conversation = await db()
      .insertInto('conversations')
      .values({ contact_id: contact.id, campaign_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const message = await reserveOutbound(db(), {
      conversationId: conversation.id,
      channel: 'imessage',
      idempotencyKey: 'follow-up-1',
      from: phoneFor(2),
      to: phoneFor(1),
      body: 'Thanks for your reply',
    });
    await markOutboundAccepted(db(), message.id, {
      sid: 'bm-1',
      from: phoneFor(2),
      protocol: 'imessage',
      status: 'sent',
    });
    await failFirstInsertAsDeadlockVictim(db());
    const answer = await blooioWebhook(api, {
      event: 'message.status',
      message_id: 'bm-1',
      status: 'delivered',
      protocol: 'imessage',
    });
    expect(answer.statusCode, answer.body).toBe(204);
    expect(await faultsRaised(db())).toBeGreaterThan(1);
    const row = await db()
      .selectFrom('conversation_messages')
      .select('status')
      .where('id', '=', message.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('delivered');
    const events = await db()
      .selectFrom('message_events')
      .select('dedupe_key')
      .where('provider', '=', 'blooio')
      .execute();
    expect(events).toEqual([{ dedupe_key: 'blooio:bm-1:delivered' }]);
  });
});
