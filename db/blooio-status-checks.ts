import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/** Asked this many times without a final status, a message is reported as such and left. */
export const MAX_STATUS_CHECKS = 3;

export interface UnsettledBlooioMessage {
  id: string;
  sid: string;
  chatId: string;
  checks: number;
}

const UNSETTLED = sql`cm.channel = 'imessage' AND cm.provider_sid IS NOT NULL
  AND cm.status NOT IN ('delivered', 'failed') AND cm.status_checks < ${MAX_STATUS_CHECKS}`;

/** The contact's Blooio messages with no final status whose last news is older than `before`. */
export async function staleBlooioMessages(
  db: Kysely<Database>,
  contactId: string,
  before: Date,
): Promise<UnsettledBlooioMessage[]> {
  const rows = await sql<UnsettledBlooioMessage>`
    SELECT cm.id::text AS id, cm.provider_sid AS sid, cm.to_phone AS "chatId",
           cm.status_checks AS checks
      FROM conversation_messages cm JOIN conversations cv ON cv.id = cm.conversation_id
     WHERE cv.contact_id = ${contactId}::bigint AND ${UNSETTLED} AND cm.updated_at < ${before}
     ORDER BY cm.id LIMIT 100`.execute(db);
  return rows.rows;
}

/** When the next of the contact's unsettled Blooio messages is due a check; null: none. */
export async function nextBlooioCheckAt(
  db: Kysely<Database>,
  contactId: string,
  timeoutSeconds: number,
): Promise<Date | null> {
  const row = await sql<{ at: Date | null }>`
    SELECT min(cm.updated_at) + make_interval(secs => ${timeoutSeconds}) AS at
      FROM conversation_messages cm JOIN conversations cv ON cv.id = cm.conversation_id
     WHERE cv.contact_id = ${contactId}::bigint AND ${UNSETTLED}`.execute(db);
  return row.rows[0]?.at ?? null;
}

/**
 * Counts a check of a message; the last one allowed without a final status says so on the
 * message, where the thread shows it.
 */
export async function countStatusCheck(db: Kysely<Database>, id: string): Promise<void> {
  await sql`
    UPDATE conversation_messages
       SET status_checks = status_checks + 1, updated_at = now(),
           error = CASE WHEN status_checks + 1 >= ${MAX_STATUS_CHECKS}
                         AND status NOT IN ('delivered', 'failed')
                        THEN 'Blooio never reported a final status (asked ' ||
                             ${MAX_STATUS_CHECKS}::text || ' times)'
                        ELSE error END
     WHERE id = ${id}::bigint`.execute(db);
}
