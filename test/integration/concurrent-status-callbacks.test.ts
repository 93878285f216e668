import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAutoReplyStatus } from '../../db/auto-replies.ts';
import { reserveOutbound } from '../../db/conversation-messages.ts';
import { applyConversationSmsStatus } from '../../db/conversation-sms-status.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { phoneFor, seedAudience } from '../support/seed.ts';

// Twilio posts "sent" and "delivered" a moment apart, and they can be handled at once. Each
// round starts both together; the status must end at the higher one whichever commits last.
const ROUNDS = 40;

describe('status callbacks that arrive together', () => {
  let database: TestDatabase;
  const db = () => database.db;
  const phone = phoneFor(1);

  beforeAll(async () => {
    database = await freshDatabase();
    await seedAudience(db(), [{ phone }]);
  });
  afterAll(async () => {
    await database.destroy();
  });

  const together = async (apply: (status: 'sent' | 'delivered') => Promise<unknown>, i: number) => {
    const order = i % 2 === 0 ? (['sent', 'delivered'] as const) : (['delivered', 'sent'] as const);
    await Promise.all(order.map((status) => apply(status)));
  };

  it('never moves a conversation SMS back from delivered to sent', async () => {
    const contact = await db()
      .selectFrom('contacts')
      .select('id')
      .where('phone', '=', phone)
      .executeTakeFirstOrThrow();
    const conversation = await db()
      .insertInto('conversations')
      .values({ contact_id: contact.id, campaign_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const finals: string[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      const row = await reserveOutbound(db(), {
        conversationId: conversation.id,
        channel: 'sms',
        idempotencyKey: `text-us-${i}`,
        from: phoneFor(2),
        to: phone,
        body: 'Text us',
      });
      const sid = `SM${String(i).padStart(32, '0')}`;
      await together(
        (status) =>
          applyConversationSmsStatus(db(), { messageId: row.id, sid, status, errorCode: null }),
        i,
      );
      const stored = await db()
        .selectFrom('conversation_messages')
        .select(['status', 'provider_sid'])
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      expect(stored.provider_sid).toBe(sid);
      finals.push(stored.status ?? 'none');
    }
    expect(finals.filter((status) => status !== 'delivered')).toEqual([]);
  });

  it("never moves an auto-reply's status back from delivered to sent", async () => {
    const finals: string[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      const inboundSid = `SMin${String(i).padStart(30, '0')}`;
      await db()
        .insertInto('inbound_messages')
        .values({
          provider: 'twilio',
          provider_sid: inboundSid,
          from_phone: phone,
          to_phone: phoneFor(2),
          body: 'HELP',
          reply: 'Reply STOP to opt out.',
        })
        .execute();
      const sid = `SMre${String(i).padStart(30, '0')}`;
      await together(
        (status) => applyAutoReplyStatus(db(), { inboundSid, sid, status, errorCode: null }),
        i,
      );
      const stored = await db()
        .selectFrom('inbound_messages')
        .select('reply_status')
        .where('provider_sid', '=', inboundSid)
        .executeTakeFirstOrThrow();
      finals.push(stored.reply_status ?? 'none');
    }
    expect(finals.filter((status) => status !== 'delivered')).toEqual([]);
  });
});
