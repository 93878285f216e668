import type { Kysely } from 'kysely';
import { sameAnswer, type AgentAnswer } from '../core/conversation-contracts.ts';
import { reserveOutbound, type OutboundDraft } from './conversation-messages.ts';
import type { ConversationMessage, Database } from './tables.ts';

/**
 * The stored message for an agent's answer: created by the first request with its key, the
 * same row for every later one. `conflict` when the key was used for another conversation
 * or another text: one key names one request.
 */
export async function reserveAnswer(
  db: Kysely<Database>,
  draft: OutboundDraft & { author: string | null; mediaUrls: readonly string[] },
): Promise<
  { kind: 'reserved'; row: ConversationMessage; replayed: boolean } | { kind: 'conflict' }
> {
  const before = await db
    .selectFrom('conversation_messages')
    .select('id')
    .where('idempotency_key', '=', draft.idempotencyKey)
    .executeTakeFirst();
  const row = await reserveOutbound(db, draft);
  const same =
    row.conversation_id === draft.conversationId &&
    sameAnswer(row, { text: draft.body, mediaUrls: draft.mediaUrls });
  if (!same) return { kind: 'conflict' };
  return { kind: 'reserved', row, replayed: before !== undefined };
}

export function presentAnswer(row: ConversationMessage, replayed: boolean): AgentAnswer {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    providerSid: row.provider_sid,
    from: row.from_phone,
    to: row.to_phone,
    body: row.body,
    mediaUrls: row.media_urls ?? [],
    protocol: row.protocol,
    author: row.author,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    replayed,
  };
}

export async function answerById(db: Kysely<Database>, id: string): Promise<ConversationMessage> {
  return db
    .selectFrom('conversation_messages')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function markAnswerStatus(
  db: Kysely<Database>,
  id: string,
  status: 'retrying' | 'sending',
): Promise<void> {
  await db
    .updateTable('conversation_messages')
    .set({ status, updated_at: new Date() })
    .where('id', '=', id)
    .where('provider_sid', 'is', null)
    .where('status', 'in', ['sending', 'retrying'])
    .execute();
}
