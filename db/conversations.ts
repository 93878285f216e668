import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ConversationHandoff, Database, HandoffMode } from './tables.ts';

/** The contact's one conversation, created on first hand-off and pointed at the latest campaign. */
export async function upsertConversation(
  db: Kysely<Database>,
  input: {
    contactId: string;
    campaignId: string | null;
    poolId: string | null;
    workflowId: string;
  },
): Promise<{ id: string; numberId: string | null }> {
  const row = await db
    .insertInto('conversations')
    .values({
      contact_id: input.contactId,
      campaign_id: input.campaignId,
      pool_id: input.poolId,
      workflow_id: input.workflowId,
    })
    .onConflict((conflict) =>
      conflict.column('contact_id').doUpdateSet((eb) => ({
        campaign_id: eb.fn.coalesce('excluded.campaign_id', 'conversations.campaign_id'),
        pool_id: eb.fn.coalesce('excluded.pool_id', 'conversations.pool_id'),
        workflow_id: eb.ref('excluded.workflow_id'),
        updated_at: new Date(),
      })),
    )
    .returning(['id', 'number_id'])
    .executeTakeFirstOrThrow();
  return { id: row.id, numberId: row.number_id };
}

/**
 * The hand-off of this conversation for this campaign: created once with the next step
 * number (the step names the follow-up's Idempotency-Key), or the one that already exists.
 */
export async function claimHandoff(
  db: Kysely<Database>,
  input: { conversationId: string; campaignId: string; mode: HandoffMode },
): Promise<ConversationHandoff> {
  await sql`
    INSERT INTO conversation_handoffs (conversation_id, campaign_id, step, mode)
    SELECT ${input.conversationId}, ${input.campaignId}, COALESCE(max(step), 0) + 1, ${input.mode}
      FROM conversation_handoffs WHERE conversation_id = ${input.conversationId}
    ON CONFLICT DO NOTHING`.execute(db);
  return db
    .selectFrom('conversation_handoffs')
    .selectAll()
    .where('conversation_id', '=', input.conversationId)
    .where('campaign_id', '=', input.campaignId)
    .executeTakeFirstOrThrow();
}

export async function setHandoffNumber(
  db: Kysely<Database>,
  handoff: { id: string; conversationId: string },
  numberId: string,
): Promise<void> {
  await db
    .updateTable('conversation_handoffs')
    .set({ number_id: numberId })
    .where('id', '=', handoff.id)
    .execute();
  await db
    .updateTable('conversations')
    .set({ number_id: numberId, updated_at: new Date() })
    .where('id', '=', handoff.conversationId)
    .execute();
}

/** Records the hand-off as done: the follow-up was accepted by the carrier. */
export async function completeHandoff(
  db: Kysely<Database>,
  handoff: { id: string; conversationId: string },
  at: Date,
): Promise<void> {
  await db
    .updateTable('conversation_handoffs')
    .set({ status: 'sent', handed_off_at: at, error: null })
    .where('id', '=', handoff.id)
    .execute();
  await sql`
    UPDATE conversations SET status = 'handed_off', handed_off_at = COALESCE(handed_off_at, ${at}),
           updated_at = ${at}
     WHERE id = ${handoff.conversationId} AND status <> 'opted_out'`.execute(db);
}

export async function closeHandoff(
  db: Kysely<Database>,
  handoffId: string,
  status: 'failed' | 'skipped',
  error: string,
): Promise<void> {
  await db
    .updateTable('conversation_handoffs')
    .set({ status, error })
    .where('id', '=', handoffId)
    .where('status', '<>', 'sent')
    .execute();
}

/** The conversation's Blooio number (for answers outside a hand-off, e.g. an opt-out). */
export async function conversationNumber(
  db: Kysely<Database>,
  contactId: string,
): Promise<{ conversationId: string; phone: string | null } | undefined> {
  const row = await db
    .selectFrom('conversations as cv')
    .leftJoin('sender_numbers as n', 'n.id', 'cv.number_id')
    .select(['cv.id', 'n.phone'])
    .where('cv.contact_id', '=', contactId)
    .executeTakeFirst();
  return row === undefined ? undefined : { conversationId: row.id, phone: row.phone };
}

/**
 * Keeps a Blooio line as the conversation's own (an inbox answer chose it), unless another
 * was kept meanwhile; the line the conversation has now.
 */
export async function setConversationNumber(
  db: Kysely<Database>,
  conversationId: string,
  numberId: string,
): Promise<string> {
  await db
    .updateTable('conversations')
    .set({ number_id: numberId, updated_at: new Date() })
    .where('id', '=', conversationId)
    .where('number_id', 'is', null)
    .execute();
  const row = await db
    .selectFrom('conversations as cv')
    .innerJoin('sender_numbers as n', 'n.id', 'cv.number_id')
    .select('n.phone')
    .where('cv.id', '=', conversationId)
    .executeTakeFirstOrThrow();
  return row.phone;
}
