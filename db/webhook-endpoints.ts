import type { Kysely } from 'kysely';
import type { Database, WebhookEndpointTable } from './tables.ts';
import type { Selectable } from 'kysely';

export type WebhookEndpoint = Selectable<WebhookEndpointTable>;

export interface NewWebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  secret: string;
}

export async function createWebhookEndpoint(
  db: Kysely<Database>,
  endpoint: NewWebhookEndpoint,
): Promise<WebhookEndpoint> {
  return db
    .insertInto('webhook_endpoints')
    .values(endpoint)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findWebhookEndpoint(
  db: Kysely<Database>,
  id: string,
): Promise<WebhookEndpoint | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listWebhookEndpoints(db: Kysely<Database>): Promise<WebhookEndpoint[]> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function enabledWebhookEndpointIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('disabled_at', 'is', null)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Disables an endpoint: no new event is written for it, and what it has not received yet is
 * given up (said so on each delivery) rather than left pending forever. Its delivery workflow
 * sees the endpoint disabled and ends. Returns the endpoint, or undefined when there is none.
 */
export async function disableWebhookEndpoint(
  db: Kysely<Database>,
  id: string,
  at: Date,
): Promise<WebhookEndpoint | undefined> {
  return db.transaction().execute(async (trx) => {
    const endpoint = await trx
      .updateTable('webhook_endpoints')
      .set((eb) => ({ disabled_at: eb.fn.coalesce('disabled_at', eb.val(at)) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (endpoint === undefined) return undefined;
    await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'given_up', last_error: 'endpoint disabled' })
      .where('endpoint_id', '=', id)
      .where('status', 'in', ['pending', 'failing'])
      .execute();
    return endpoint;
  });
}
