import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { MessageStatus } from '../core/message-status.ts';
import { statusRankSql } from './status-sql.ts';
import type { Database } from './tables.ts';

export interface AutoReplyStatus {
  /** The inbound message the answer was given to (named in the callback's URL). */
  inboundSid: string;
  /** The carrier's sid of the answer, first known from this callback. */
  sid: string;
  status: MessageStatus;
  errorCode: number | null;
}

/**
 * Applies a status callback to tandem's TwiML answer of an inbound SMS: the answer's row (the
 * inbound message, written before the answer left) takes the carrier's sid on its first
 * callback, and a status only over a lower one, so late or repeated callbacks change nothing.
 * False when no answer matches (unknown inbound sid, or a different sid than the one learnt).
 * The rank is compared with the live row (re-read under its lock), so concurrent callbacks
 * cannot move it back.
 */
export async function applyAutoReplyStatus(
  db: Kysely<Database>,
  event: AutoReplyStatus,
): Promise<{ matched: boolean; applied: boolean }> {
  const result = await sql<{ applied: boolean }>`
    WITH target AS (
      SELECT id, reply_status FROM inbound_messages
       WHERE provider_sid = ${event.inboundSid} AND provider = 'twilio' AND reply IS NOT NULL
         AND (reply_sid IS NULL OR reply_sid = ${event.sid})
    ), applied AS (
      UPDATE inbound_messages im
         SET reply_sid = ${event.sid}, reply_status = ${event.status},
             reply_error_code = COALESCE(${event.errorCode}::int, im.reply_error_code),
             reply_updated_at = now()
        FROM target
       WHERE im.id = target.id
         AND (im.reply_sid IS NULL OR im.reply_sid = ${event.sid})
         AND ${statusRankSql(sql`im.reply_status`)} < ${statusRankSql(sql`${event.status}::text`)}
      RETURNING im.id
    )
    SELECT EXISTS (SELECT 1 FROM applied) AS applied FROM target`.execute(db);
  const row = result.rows[0];
  return { matched: row !== undefined, applied: row?.applied === true };
}
