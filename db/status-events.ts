import { sql } from 'kysely';
import type { Db } from './connect.ts';
import { PREPARED } from './prepared.ts';

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
 * `applyStatusEvents` folds stored events into messages in batches. One statement with one
 * parameter whatever the batch's size (the events as a JSON array, read by
 * `jsonb_to_recordset` in order, so ids follow arrival), answering one row: the new ids.
 */
export async function recordStatusEvents(
  db: Db,
  events: readonly StatusEventInput[],
): Promise<{ stored: number; duplicates: number; ids: string[] }> {
  if (events.length === 0) return { stored: 0, duplicates: 0, ids: [] };
  const rows = events.map((event) => ({
    provider: event.provider,
    sid: event.sid,
    status: event.status,
    error_code: event.errorCode,
    dedupe_key: `${event.source === 'fetch' ? 'fetch:' : ''}${event.provider}:${event.sid}:${event.status}:${event.errorCode ?? ''}`,
    payload: event.payload,
  }));
  const { rows: answer } = await sql<{ ids: string | null }>`${PREPARED}
    WITH stored AS (
      INSERT INTO message_events (provider, provider_sid, status, error_code, dedupe_key, payload)
      SELECT e.provider, e.sid, e.status, e.error_code, e.dedupe_key, e.payload
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
             AS e(provider text, sid text, status text, error_code int, dedupe_key text, payload jsonb)
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id)
    SELECT string_agg(id::text, ',' ORDER BY id) AS ids FROM stored`.execute(db);
  const joined = answer[0]?.ids ?? null;
  const ids = joined === null ? [] : joined.split(',');
  return { stored: ids.length, duplicates: events.length - ids.length, ids };
}

export { applyStatusEvents, applyPendingEventsFor, type AppliedLag } from './status-apply.ts';
