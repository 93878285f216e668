import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { MessageStatus } from '../core/message-status.ts';
import { statusRankSql } from './status-sql.ts';
import type { Database } from './tables.ts';

export interface ConversationSmsStatus {
  /** The conversation message the SMS is (named in the callback's URL). */
  messageId: string;
  sid: string;
  status: MessageStatus;
  errorCode: number | null;
}

/**
 * Applies a Twilio status callback to an SMS of a conversation (the "text us at" hand-off):
 * the row takes the sid if it did not know it yet (a callback may come before the send's
 * answer is stored), and a status only over a lower one. False when no such SMS matches.
 * The rank is compared with the row as the UPDATE finds it, not as the CTE read it: two
 * callbacks at once ("sent" and "delivered") otherwise both pass and the later commit wins.
 */
export async function applyConversationSmsStatus(
  db: Kysely<Database>,
  event: ConversationSmsStatus,
): Promise<{ matched: boolean; applied: boolean }> {
  const result = await sql<{ applied: boolean }>`
    WITH target AS (
      SELECT id, status FROM conversation_messages
       WHERE id = ${event.messageId}::bigint AND channel = 'sms'
         AND (provider_sid IS NULL OR provider_sid = ${event.sid})
    ), applied AS (
      UPDATE conversation_messages cm
         SET provider_sid = ${event.sid}, status = ${event.status},
             error = COALESCE(${event.errorCode === null ? null : String(event.errorCode)}, cm.error),
             updated_at = now()
        FROM target
       WHERE cm.id = target.id
         AND (cm.provider_sid IS NULL OR cm.provider_sid = ${event.sid})
         AND ${statusRankSql(sql`cm.status`)} < ${statusRankSql(sql`${event.status}::text`)}
      RETURNING cm.id
    )
    SELECT EXISTS (SELECT 1 FROM applied) AS applied FROM target`.execute(db);
  const row = result.rows[0];
  return { matched: row !== undefined, applied: row?.applied === true };
}

/**
 * Records the carrier's answer to a conversation SMS: its sid, and its status unless a
 * callback already moved it further.
 */
export async function markConversationSmsAccepted(
  db: Kysely<Database>,
  id: string,
  accepted: { sid: string; from: string; status: MessageStatus },
): Promise<void> {
  await sql`
    UPDATE conversation_messages
       SET provider_sid = ${accepted.sid}, from_phone = ${accepted.from}, protocol = 'sms',
           status = CASE WHEN ${statusRankSql(sql`status`)} < ${statusRankSql(sql`${accepted.status}::text`)}
                         THEN ${accepted.status} ELSE status END,
           error = NULL, updated_at = now()
     WHERE id = ${id}::bigint`.execute(db);
}
