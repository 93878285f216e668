import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, Provider } from './tables.ts';

/** Everything answering an inbound message needs, read in one round trip. */
export interface InboundContext {
  contactId: string | null;
  optedOut: boolean;
  campaignId: string | null;
  helpText: string | null;
  interestedKeywords: string[];
  followupPoolId: string | null;
  /** The same provider message already stored (a carrier retry): its outcome. */
  existing: { id: string; classification: string | null; reply: string | null } | null;
}

interface ContextRow {
  ord: string;
  contact_id: string | null;
  opted_out: boolean | null;
  campaign_id: string | null;
  help_text: string | null;
  interested_keywords: string[] | null;
  followup_pool_id: string | null;
  existing_id: string | null;
  existing_classification: string | null;
  existing_reply: string | null;
}

export interface InboundKey {
  provider: Provider;
  sid: string;
  from: string;
  to: string;
}

/**
 * For each inbound message (one statement for all of them), the sender's contact and the
 * campaign the reply belongs to: for SMS the campaign that last texted *this contact* from the
 * number they answered (else the last that texted them at all), "last" by when the text reached
 * the carrier, not by when its row was planned: a row planned early (deferred by quiet hours,
 * retried) may be the latest text the person saw. Rows never sent come after every sent one.
 * For Blooio the campaign that handed their conversation off, else the same as SMS.
 */
export async function loadInboundContexts(
  db: Kysely<Database>,
  inputs: readonly InboundKey[],
): Promise<InboundContext[]> {
  if (inputs.length === 0) return [];
  const result = await sql<ContextRow>`
    SELECT i.ord::text AS ord, c.id::text AS contact_id, c.opted_out_at IS NOT NULL AS opted_out,
           camp.id AS campaign_id, camp.help_text, camp.interested_keywords, camp.followup_pool_id,
           e.id::text AS existing_id, e.classification AS existing_classification,
           e.reply AS existing_reply
      FROM unnest(${inputs.map((input) => input.provider)}::text[],
                  ${inputs.map((input) => input.sid)}::text[],
                  ${inputs.map((input) => input.from)}::text[],
                  ${inputs.map((input) => input.to)}::text[])
           WITH ORDINALITY AS i(provider, sid, from_phone, to_phone, ord)
      LEFT JOIN contacts c ON c.phone = i.from_phone
      LEFT JOIN LATERAL (
        SELECT campaign_id FROM (
          SELECT cv.campaign_id, 0 AS rank, NULL::timestamptz AS texted_at, 0::bigint AS id
            FROM conversations cv
           WHERE cv.contact_id = c.id AND cv.campaign_id IS NOT NULL AND i.provider = 'blooio'
          UNION ALL
          SELECT m.campaign_id, CASE WHEN m.from_phone = i.to_phone THEN 1 ELSE 2 END, m.sent_at, m.id
            FROM messages m WHERE m.contact_id = c.id
        ) AS candidates ORDER BY rank, texted_at DESC NULLS LAST, id DESC LIMIT 1
      ) AS attributed ON true
      LEFT JOIN campaigns camp ON camp.id = attributed.campaign_id
      LEFT JOIN inbound_messages e ON e.provider_sid = i.sid`.execute(db);
  const byOrdinal = new Map(result.rows.map((row) => [Number(row.ord), row]));
  return inputs.map((_input, index) => toContext(byOrdinal.get(index + 1)));
}

function toContext(row: ContextRow | undefined): InboundContext {
  return {
    contactId: row?.contact_id ?? null,
    optedOut: row?.opted_out === true,
    campaignId: row?.campaign_id ?? null,
    helpText: row?.help_text ?? null,
    interestedKeywords: row?.interested_keywords ?? ['YES'],
    followupPoolId: row?.followup_pool_id ?? null,
    existing:
      row?.existing_id == null
        ? null
        : {
            id: row.existing_id,
            classification: row.existing_classification,
            reply: row.existing_reply,
          },
  };
}

export interface NewInbound {
  provider: Provider;
  sid: string;
  from: string;
  to: string;
  body: string;
  protocol: string | null;
  contactId: string | null;
  campaignId: string | null;
  classification: string;
  reply: string | null;
  handoffSkipped: string | null;
}

/** Stores an inbound message once; null when its provider id was already stored. */
export async function storeInbound(db: Kysely<Database>, row: NewInbound): Promise<string | null> {
  const [id] = await storeInbounds(db, [row]);
  return id ?? null;
}

/**
 * Stores inbound messages in one statement; for each, its id, or null when its provider id
 * was already stored (by an earlier request, or by an earlier row of the same batch).
 */
export async function storeInbounds(
  db: Kysely<Database>,
  rows: readonly NewInbound[],
): Promise<(string | null)[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('inbound_messages')
    .values(rows.map(toInboundRow))
    .onConflict((conflict) => conflict.column('provider_sid').doNothing())
    .returning(['id', 'provider_sid'])
    .execute();
  const idBySid = new Map(inserted.map((row) => [row.provider_sid, row.id]));
  return rows.map((row) => {
    const id = idBySid.get(row.sid);
    if (id === undefined) return null;
    idBySid.delete(row.sid);
    return id;
  });
}

function toInboundRow(row: NewInbound) {
  return {
    provider: row.provider,
    provider_sid: row.sid,
    from_phone: row.from,
    to_phone: row.to,
    body: row.body,
    protocol: row.protocol,
    contact_id: row.contactId,
    campaign_id: row.campaignId,
    classification: row.classification,
    reply: row.reply,
    handoff_skipped: row.handoffSkipped,
  };
}

/** Links an inbound message to the contact created for it (an unknown sender who opted out). */
export async function attachContact(
  db: Kysely<Database>,
  inboundId: string,
  contactId: string,
): Promise<void> {
  await db
    .updateTable('inbound_messages')
    .set({ contact_id: contactId })
    .where('id', '=', inboundId)
    .where('contact_id', 'is', null)
    .execute();
}
