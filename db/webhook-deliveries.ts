import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DueDeliveries } from '../core/webhook-contracts.ts';
import type { Database, WebhookDeliveryStatus } from './tables.ts';

/**
 * The endpoint's deliveries still to make (pending or failing), oldest event first. No cursor:
 * event ids are taken at insert but committed in any order, so each call looks at every open
 * delivery again, and one committed late is found by the next call.
 */
export async function dueDeliveries(
  db: Kysely<Database>,
  endpointId: string,
  limit: number,
  /** Keys whose events are being delivered already: the caller has those in hand. */
  busyKeys: readonly string[] = [],
): Promise<DueDeliveries> {
  const endpoint = await db
    .selectFrom('webhook_endpoints')
    .select('disabled_at')
    .where('id', '=', endpointId)
    .executeTakeFirst();
  if (endpoint === undefined || endpoint.disabled_at !== null) return { kind: 'disabled' };
  let query = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select(['e.id', 'e.ordering_key'])
    .where('d.endpoint_id', '=', endpointId)
    .where('d.status', 'in', ['pending', 'failing'])
    .orderBy('d.event_id')
    .limit(limit);
  if (busyKeys.length > 0) query = query.where('e.ordering_key', 'not in', [...busyKeys]);
  const rows = await query.execute();
  if (rows.length === 0) return { kind: 'idle' };
  return {
    kind: 'due',
    deliveries: rows.map((row) => ({ eventId: row.id, orderingKey: row.ordering_key })),
  };
}

export interface DeliveryToMake {
  url: string;
  secret: string;
  disabled: boolean;
  status: WebhookDeliveryStatus;
  event: { id: string; type: string; createdAt: Date; data: unknown };
}

export async function deliveryToMake(
  db: Kysely<Database>,
  endpointId: string,
  eventId: string,
): Promise<DeliveryToMake | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select([
      'w.url',
      'w.secret',
      'w.disabled_at',
      'd.status',
      'e.public_id',
      'e.type',
      'e.created_at',
      'e.data',
    ])
    .where('d.endpoint_id', '=', endpointId)
    .where('d.event_id', '=', eventId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    url: row.url,
    secret: row.secret,
    disabled: row.disabled_at !== null,
    status: row.status,
    event: { id: row.public_id, type: row.type, createdAt: row.created_at, data: row.data },
  };
}

export type AttemptResult =
  { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

/** One POST made: counted, with its answer; a delivered delivery stays delivered. */
export async function recordDeliveryAttempt(
  db: Kysely<Database>,
  endpointId: string,
  eventId: string,
  result: AttemptResult,
  at: Date,
): Promise<void> {
  await sql`
    UPDATE webhook_deliveries SET
      attempts = attempts + 1,
      last_attempt_at = ${at},
      last_status_code = ${result.statusCode},
      last_error = ${result.ok ? null : result.error},
      status = CASE WHEN status = 'delivered' OR ${result.ok} THEN 'delivered'
                    WHEN status = 'given_up' THEN 'given_up' ELSE 'failing' END,
      delivered_at = CASE WHEN status <> 'delivered' AND ${result.ok} THEN ${at}
                          ELSE delivered_at END
     WHERE endpoint_id = ${endpointId} AND event_id = ${eventId}`.execute(db);
}

/** The retry policy ran out: the delivery says so, and later events go on. */
export async function giveUpDelivery(
  db: Kysely<Database>,
  endpointId: string,
  eventId: string,
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'given_up' })
    .where('endpoint_id', '=', endpointId)
    .where('event_id', '=', eventId)
    .where('status', 'in', ['pending', 'failing'])
    .execute();
}

export interface DeliveryRow {
  event_id: string;
  event_public_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
}

/** An endpoint's deliveries, newest event first, after the cursor (an event id) if given. */
export async function listDeliveries(
  db: Kysely<Database>,
  endpointId: string,
  page: { before: string | null; limit: number; status: WebhookDeliveryStatus | null },
): Promise<DeliveryRow[]> {
  let query = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select([
      'd.event_id',
      'e.public_id as event_public_id',
      'e.type as event_type',
      'd.status',
      'd.attempts',
      'd.last_status_code',
      'd.last_error',
      'd.created_at',
      'd.last_attempt_at',
      'd.delivered_at',
    ])
    .where('d.endpoint_id', '=', endpointId)
    .orderBy('d.event_id', 'desc')
    .limit(page.limit);
  if (page.before !== null) query = query.where('d.event_id', '<', page.before);
  if (page.status !== null) query = query.where('d.status', '=', page.status);
  return query.execute();
}
