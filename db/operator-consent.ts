import { sql } from 'kysely';
import { operatorOptIn } from '../core/consent.ts';
import type { ConsentSource } from '../core/consent.ts';
import type { Db } from './connect.ts';
import { optIn, optOut } from './opt-outs.ts';
import { retryTransaction } from './retry.ts';
import { inTransaction } from './transaction.ts';

export interface OperatorRequest {
  contactId: string;
  reason: string;
  /** The request as received (method, path, body), kept as the event's detail. */
  detail: string;
  at: Date;
}

export type OperatorConsentOutcome =
  | { kind: 'changed'; eventId: string; droppedPending: number }
  | { kind: 'unchanged' }
  /** An opt-in the person's own opt-out forbids (`source` null: an opt-out with no record). */
  | { kind: 'refused'; source: ConsentSource | null };

const change = (request: OperatorRequest) => ({
  contactId: request.contactId,
  channel: 'all' as const,
  source: 'operator' as const,
  keyword: null,
  detail: request.detail,
  reason: request.reason,
  inboundMessageId: null,
  at: request.at,
});

/**
 * An operator opts a contact out of everything, at once (see `optOut`). Nothing is recorded
 * when the contact is opted out already.
 */
export function operatorOptOut(db: Db, request: OperatorRequest): Promise<OperatorConsentOutcome> {
  return retryTransaction(() =>
    inTransaction(db, async (trx) => {
      if (await isOptedOut(trx, request.contactId)) return { kind: 'unchanged' };
      const result = await optOut(trx, change(request));
      return { kind: 'changed', eventId: result.eventId, droppedPending: result.droppedPending };
    }),
  );
}

/**
 * An operator opts a contact back in, unless an opt-out since their last opt-in was the
 * person's own (see `operatorOptIn`). The contact's row is locked first, so a STOP recorded at
 * the same moment is either seen here or applied after this opt-in.
 */
export function operatorOptInContact(
  db: Db,
  request: OperatorRequest,
): Promise<OperatorConsentOutcome> {
  return retryTransaction(() =>
    inTransaction(db, async (trx) => {
      const optedOut = await isOptedOut(trx, request.contactId);
      const decision = operatorOptIn(optedOut, await optOutsSinceOptIn(trx, request.contactId));
      if (decision.kind !== 'opt_in') return decision;
      const eventId = await optIn(trx, change(request));
      return eventId === null
        ? { kind: 'unchanged' }
        : { kind: 'changed', eventId, droppedPending: 0 };
    }),
  );
}

async function isOptedOut(trx: Db, contactId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('contacts')
    .select('opted_out_at')
    .where('id', '=', contactId)
    .forUpdate()
    .executeTakeFirst();
  return row?.opted_out_at != null;
}

/**
 * The sources of the contact's opt-outs recorded after its latest opt-in. By id: changes of
 * one contact are recorded one at a time (each takes the contact's row first), so ids follow
 * the order they were applied in, where two `created_at`s taken before waiting might not.
 */
async function optOutsSinceOptIn(trx: Db, contactId: string): Promise<ConsentSource[]> {
  const result = await sql<{ source: ConsentSource }>`
    SELECT DISTINCT ce.source FROM consent_events ce
     WHERE ce.contact_id = ${contactId} AND ce.action = 'opt_out'
       AND ce.id > COALESCE((SELECT max(o.id) FROM consent_events o
                              WHERE o.contact_id = ${contactId} AND o.action = 'opt_in'), 0)`.execute(
    trx,
  );
  return result.rows.map((row) => row.source);
}
