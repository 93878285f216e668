import type { Db } from './connect.ts';

export interface StatusEventInput {
  provider: 'twilio' | 'blooio';
  sid: string;
  status: string;
  errorCode: number | null;
  payload: Record<string, unknown>;
}

/**
 * Stores callbacks; a duplicate (same sid, status and error) is dropped by its unique key.
 * Nothing else is touched here, so a webhook answers at once and never waits on a lock:
 * `applyStatusEvents` folds stored events into messages in batches.
 */
export async function recordStatusEvents(
  db: Db,
  events: readonly StatusEventInput[],
): Promise<{ stored: number; duplicates: number; ids: string[] }> {
  if (events.length === 0) return { stored: 0, duplicates: 0, ids: [] };
  const inserted = await db
    .insertInto('message_events')
    .values(
      events.map((event) => ({
        provider: event.provider,
        provider_sid: event.sid,
        status: event.status,
        error_code: event.errorCode,
        dedupe_key: `${event.provider}:${event.sid}:${event.status}:${event.errorCode ?? ''}`,
        payload: JSON.stringify(event.payload),
      })),
    )
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return {
    stored: inserted.length,
    duplicates: events.length - inserted.length,
    ids: inserted.map((row) => row.id),
  };
}

export { applyStatusEvents, applyPendingEventsFor } from './status-apply.ts';
