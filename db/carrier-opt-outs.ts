import { compareBigintIds } from './bigint-ids.ts';
import type { Db } from './connect.ts';
import { recordSettled, type SettledSend } from './message-writes.ts';
import { optOut } from './opt-outs.ts';
import { retryTransaction } from './retry.ts';
import { inTransaction } from './transaction.ts';

/** A message the carrier refused or failed because its recipient unsubscribed (21610). */
export interface CarrierRefusal {
  messageId: string;
  /** The carrier's error code and words, kept as the consent record's detail. */
  detail: string;
}

/**
 * The carrier knows this person said STOP (Twilio's Advanced Opt-Out may have answered the STOP
 * itself, so tandem never saw it): each refusal opts its contact out everywhere, through
 * `optOut`, recorded with source `carrier_21610`, the message and its campaign. Run it in the
 * transaction that stores the refused message's outcome, so the two stand or fall together;
 * contacts are taken in id order, so two such transactions lock them in the same order.
 */
export async function optOutRefusedRecipients(
  trx: Db,
  refusals: readonly CarrierRefusal[],
  at: Date,
): Promise<void> {
  if (refusals.length === 0) return;
  const messages = await trx
    .selectFrom('messages')
    .select(['id', 'contact_id', 'campaign_id'])
    .where(
      'id',
      'in',
      refusals.map((refusal) => refusal.messageId),
    )
    .execute();
  const byId = new Map(messages.map((message) => [message.id, message]));
  const ordered = refusals
    .flatMap((refusal) => {
      const message = byId.get(refusal.messageId);
      return message === undefined ? [] : [{ ...refusal, ...message }];
    })
    .sort((a, b) => compareBigintIds(a.contact_id, b.contact_id));
  for (const refusal of ordered) {
    await optOut(trx, {
      contactId: refusal.contact_id,
      channel: 'sms',
      source: 'carrier_21610',
      keyword: null,
      detail: refusal.detail,
      campaignId: refusal.campaign_id,
      messageId: refusal.messageId,
      inboundMessageId: null,
      at,
    });
  }
}

/**
 * Stores one sender's settled sends (see `recordSettled`), and opts out, in the same
 * transaction, the recipients of those the carrier refused as unsubscribed. Only outcomes this
 * claim still owned are written, so a superseded attempt records no opt-out either.
 */
export async function recordSettledSends(
  db: Db,
  token: string,
  results: readonly SettledSend[],
  at: Date,
): Promise<Set<string>> {
  if (!results.some(({ settlement }) => settlement.carrierOptOut !== null))
    return recordSettled(db, token, results);
  // Opting out takes the contact's row, which an import attaching its members may hold: the
  // deadlock victim runs again (the whole transaction, fenced by the claim as before).
  return retryTransaction(() =>
    inTransaction(db, async (trx) => {
      const written = await recordSettled(trx, token, results);
      await optOutRefusedRecipients(
        trx,
        results.flatMap(({ messageId, settlement }) =>
          settlement.carrierOptOut === null || !written.has(messageId)
            ? []
            : [{ messageId, detail: settlement.carrierOptOut.detail }],
        ),
        at,
      );
      return written;
    }),
  );
}
