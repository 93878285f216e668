import { sql } from 'kysely';
import type { Db } from './connect.ts';

export interface ConversationView {
  contact: { id: string; phone: string; opted_out_at: Date | null };
  conversation: {
    workflow_id: string | null;
    status: string;
    campaign_id: string | null;
    number: string | null;
    handed_off_at: Date | null;
    assigned_to: string | null;
    closed_at: Date | null;
    last_read_at: Date | null;
    created_at: Date;
  } | null;
  handoffs: {
    step: number;
    campaign_id: string | null;
    mode: string;
    number: string | null;
    status: string;
    error: string | null;
    handed_off_at: Date | null;
  }[];
  messages: ThreadMessage[];
  /** Interested replies that were not handed off, and why (e.g. `no_followup_pool`). */
  handoff_skips: { campaign_id: string | null; reason: string; at: Date }[];
  consent: {
    action: string;
    channel: string;
    source: string;
    keyword: string | null;
    detail: string | null;
    reason: string | null;
    at: Date;
  }[];
}

/**
 * `inbound`: what the contact sent (SMS or iMessage); `campaign`: a campaign's SMS (any step);
 * `conversation`: the follow-up and every later iMessage of the conversation; `auto_reply`:
 * tandem's SMS answer to an inbound message (HELP text, opt-out confirmation).
 */
export type ThreadMessageKind = 'inbound' | 'campaign' | 'conversation' | 'auto_reply';

export interface ThreadMessage {
  direction: 'inbound' | 'outbound';
  kind: ThreadMessageKind;
  channel: string;
  provider_sid: string | null;
  from: string | null;
  to: string;
  body: string;
  status: string | null;
  classification: string | null;
  protocol: string | null;
  campaign_id: string | null;
  step: number | null;
  /** A failure's error code or text, a skipped text's reason. */
  error: string | null;
  handoff_skipped: string | null;
  /** The person who wrote an answer in the inbox; null for anything tandem sent itself. */
  author: string | null;
  at: Date;
}

/** A contact's conversation: hand-offs, every message both ways in time order, consent history. */
export async function conversationView(
  db: Db,
  contact: { id: string } | { phone: string },
): Promise<ConversationView | undefined> {
  const found = await db
    .selectFrom('contacts')
    .select(['id', 'phone', 'opted_out_at'])
    .$if('id' in contact, (q) => q.where('id', '=', 'id' in contact ? contact.id : '0'))
    .$if('phone' in contact, (q) => q.where('phone', '=', 'phone' in contact ? contact.phone : ''))
    .executeTakeFirst();
  if (found === undefined) return undefined;
  const conversation = await db
    .selectFrom('conversations as cv')
    .leftJoin('sender_numbers as n', 'n.id', 'cv.number_id')
    .select(['cv.id', 'cv.workflow_id', 'cv.status', 'cv.campaign_id', 'n.phone as number'])
    .select(['cv.handed_off_at', 'cv.assigned_to', 'cv.closed_at', 'cv.last_read_at'])
    .select('cv.created_at')
    .where('cv.contact_id', '=', found.id)
    .executeTakeFirst();
  const handoffs = await db
    .selectFrom('conversation_handoffs as h')
    .leftJoin('sender_numbers as n', 'n.id', 'h.number_id')
    .select(['h.step', 'h.campaign_id', 'h.mode', 'n.phone as number', 'h.status', 'h.error'])
    .select('h.handed_off_at')
    .where('h.conversation_id', '=', conversation?.id ?? '0')
    .orderBy('h.step')
    .execute();
  const messages = await sql<ThreadMessage & { seq: number }>`
    SELECT 'inbound' AS direction, 'inbound' AS kind,
           CASE provider WHEN 'twilio' THEN 'sms' ELSE 'imessage' END AS channel,
           provider_sid, from_phone AS "from", to_phone AS "to", body, NULL AS status,
           classification, protocol, campaign_id, NULL::int AS step, NULL AS error, handoff_skipped,
           NULL::text AS author, received_at AS at, 0 AS seq
      FROM inbound_messages WHERE contact_id = ${found.id}
    UNION ALL
    SELECT 'outbound', 'auto_reply', 'sms', reply_sid, to_phone, from_phone, reply, reply_status,
           NULL, 'sms', campaign_id, NULL, reply_error_code::text, NULL, NULL, received_at,
           1
      FROM inbound_messages
     WHERE contact_id = ${found.id} AND provider = 'twilio' AND reply IS NOT NULL
    UNION ALL
    SELECT 'outbound', 'campaign', 'sms', provider_sid, from_phone, to_phone, COALESCE(body, ''),
           status, NULL, 'sms', campaign_id, step, COALESCE(skip_reason, error_code::text), NULL,
           NULL, COALESCE(sent_at, created_at), 0
      FROM messages WHERE contact_id = ${found.id}
    UNION ALL
    SELECT 'outbound', 'conversation', channel, provider_sid, from_phone, to_phone, body, status,
           NULL, protocol, NULL, NULL, error, NULL, author, created_at, 0
      FROM conversation_messages WHERE conversation_id = ${conversation?.id ?? '0'}
    ORDER BY at, seq LIMIT 500`.execute(db);
  const consent = await db
    .selectFrom('consent_events')
    .select(['action', 'channel', 'source', 'keyword', 'detail', 'reason', 'created_at as at'])
    .where('contact_id', '=', found.id)
    .orderBy('id')
    .execute();
  return {
    contact: found,
    conversation:
      conversation === undefined
        ? null
        : {
            workflow_id: conversation.workflow_id,
            status: conversation.status,
            campaign_id: conversation.campaign_id,
            number: conversation.number,
            handed_off_at: conversation.handed_off_at,
            assigned_to: conversation.assigned_to,
            closed_at: conversation.closed_at,
            last_read_at: conversation.last_read_at,
            created_at: conversation.created_at,
          },
    handoffs,
    messages: messages.rows.map(({ seq: _seq, ...message }) => message),
    handoff_skips: messages.rows.flatMap((m) =>
      m.handoff_skipped === null
        ? []
        : [{ campaign_id: m.campaign_id, reason: m.handoff_skipped, at: m.at }],
    ),
    consent,
  };
}
