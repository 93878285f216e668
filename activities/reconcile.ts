import { sql } from 'kysely';
import type { SendableMessage } from '../db/messages.ts';
import type { BatchOutcome } from '../workflows/campaign-types.ts';
import type { SendContext } from './send-pipeline.ts';

/**
 * A row left in `sending` means a worker died between claiming it and storing the carrier's
 * answer. Before sending again, ask the carrier whether that message went out; only rows it
 * has no trace of are sent again. Returns the rows that still need a send.
 */
export async function reconcileSending(
  context: Pick<SendContext, 'db' | 'sms'>,
  rows: readonly SendableMessage[],
  outcome: BatchOutcome,
): Promise<SendableMessage[]> {
  const unresolved: SendableMessage[] = [];
  for (const row of rows) {
    if (row.status !== 'sending' || row.from_phone === null) {
      unresolved.push(row);
      continue;
    }
    const since = new Date(row.updated_at.getTime() - 60_000);
    const found = (
      await context.sms.findSent({ to: row.to_phone, from: row.from_phone, since })
    ).find((message) => message.body === row.body);
    if (found === undefined) {
      unresolved.push(row);
      continue;
    }
    await sql`
      WITH m AS (
        UPDATE messages SET provider_sid = ${found.sid}, status = 'queued', sent_at = COALESCE(sent_at, now()), updated_at = now()
         WHERE id = ${row.id} AND provider_sid IS NULL RETURNING id, attempts
      )
      UPDATE message_attempts a SET provider_sid = ${found.sid}, status = 'queued'
        FROM m WHERE a.message_id = m.id AND a.attempt = m.attempts`.execute(context.db);
    outcome.sent += 1;
  }
  return unresolved;
}
