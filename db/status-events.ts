import type { Db } from './connect.ts';

export interface StatusEventInput {
  provider: 'twilio' | 'blooio';
  sid: string;
  status: string;
  errorCode: number | null;
  payload: Record<string, unknown>;
  /**
   * `fetch`: read from the carrier's API, not a callback. Deduplicated apart from callbacks,
   * so a fetched status is applied even when a callback of the same status was stored (and
   * applied) before the row it belonged to was settled.
   */
  source?: 'callback' | 'fetch';
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
        dedupe_key: `${event.source === 'fetch' ? 'fetch:' : ''}${event.provider}:${event.sid}:${event.status}:${event.errorCode ?? ''}`,
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
