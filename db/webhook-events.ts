import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { WebhookEventType } from '../core/webhook-contracts.ts';
import type { Database } from './tables.ts';

export interface NewWebhookEvent {
  /** Events of one key (a contact's phone, `campaign:<id>`, `number:<id>`) arrive in order. */
  orderingKey: string;
  data: Record<string, unknown>;
}

/**
 * Writes events of one type to the outbox, with a delivery for each enabled endpoint that
 * subscribes to it, in one statement (`webhook_emit`, the same function the fact triggers use).
 * Nothing is written when nobody subscribes. Call it in the transaction that stores the fact.
 */
export async function emitWebhookEvents(
  db: Kysely<Database>,
  type: WebhookEventType,
  events: readonly NewWebhookEvent[],
  at: Date,
): Promise<void> {
  if (events.length === 0) return;
  await sql`
    SELECT webhook_emit(${type}, ${events.map((event) => event.orderingKey)}::text[],
                        ${events.map((event) => JSON.stringify(event.data))}::jsonb[], ${at})
     WHERE webhook_subscribed(${type})`.execute(db);
}
