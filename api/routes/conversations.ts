import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conversationView } from '../../db/conversation-view.ts';
import { listInbox, type InboxRow } from '../../db/inbox.ts';
import type { ApiDeps } from '../deps.ts';
import { findByContactKey } from '../contact-key.ts';
import { notFound } from '../errors.ts';
import { decodeInboxCursor, encodeInboxCursor } from '../inbox-cursor.ts';
import { contactParams, inboxPage, inboxQuery } from './inbox-schemas.ts';

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

const params = contactParams;

const view = z.object({
  contact: z.object({ id: z.string(), phone: z.string(), opted_out_at: z.string().nullable() }),
  conversation: z
    .object({
      workflow_id: z.string().nullable(),
      status: z.string(),
      campaign_id: z.string().nullable(),
      number: z.string().nullable(),
      handed_off_at: z.string().nullable(),
      assigned_to: z.string().nullable(),
      closed_at: z.string().nullable(),
      last_read_at: z.string().nullable(),
      created_at: z.string(),
    })
    .nullable(),
  handoffs: z.array(
    z.object({
      step: z.number(),
      campaign_id: z.string().nullable(),
      mode: z.string(),
      number: z.string().nullable(),
      status: z.string(),
      error: z.string().nullable(),
      handed_off_at: z.string().nullable(),
    }),
  ),
  messages: z.array(
    z.object({
      direction: z.enum(['inbound', 'outbound']),
      kind: z.enum(['inbound', 'campaign', 'conversation', 'auto_reply']),
      channel: z.string(),
      provider_sid: z.string().nullable(),
      from: z.string().nullable(),
      to: z.string(),
      body: z.string(),
      status: z.string().nullable(),
      classification: z.string().nullable(),
      protocol: z.string().nullable(),
      campaign_id: z.string().nullable(),
      step: z.number().nullable(),
      error: z.string().nullable(),
      handoff_skipped: z.string().nullable(),
      author: z.string().nullable(),
      at: z.string(),
    }),
  ),
  handoff_skips: z.array(
    z.object({ campaign_id: z.string().nullable(), reason: z.string(), at: z.string() }),
  ),
  consent: z.array(
    z.object({
      action: z.string(),
      channel: z.string(),
      source: z.string(),
      keyword: z.string().nullable(),
      detail: z.string().nullable(),
      reason: z.string().nullable(),
      at: z.string(),
    }),
  ),
});

/**
 * The inbox (`GET /v1/conversations`, newest activity first) and one contact's thread
 * (`GET /v1/conversations/:contact`, by contact id or phone in any common format).
 */
export const conversationRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  app.get(
    '/conversations',
    { schema: { querystring: inboxQuery, response: { 200: inboxPage } } },
    async (request) => {
      const { cursor, limit, ...filters } = request.query;
      const rows = await listInbox(
        db,
        {
          needsReply: filters.needs_reply,
          assignedTo: filters.assigned_to,
          campaignId: filters.campaign_id,
          state: filters.state,
          channel: filters.channel,
          search: filters.q,
        },
        cursor === undefined ? null : decodeInboxCursor(cursor),
        limit + 1,
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        conversations: page.map(presentInboxRow),
        next_cursor:
          rows.length > limit && last !== undefined ? encodeInboxCursor(last.cursor) : null,
      };
    },
  );

  app.get(
    '/conversations/:contact',
    { schema: { params, response: { 200: view } } },
    async (request) => {
      const key = request.params.contact;
      const found = await findByContactKey(key, config.DEFAULT_COUNTRY, (contact) =>
        conversationView(db, contact),
      );
      if (found === undefined) throw notFound('Contact', key);
      return {
        contact: { ...found.contact, opted_out_at: iso(found.contact.opted_out_at) },
        conversation:
          found.conversation === null
            ? null
            : {
                ...found.conversation,
                handed_off_at: iso(found.conversation.handed_off_at),
                closed_at: iso(found.conversation.closed_at),
                last_read_at: iso(found.conversation.last_read_at),
                created_at: found.conversation.created_at.toISOString(),
              },
        handoffs: found.handoffs.map((h) => ({ ...h, handed_off_at: iso(h.handed_off_at) })),
        messages: found.messages.map((m) => ({ ...m, at: new Date(m.at).toISOString() })),
        handoff_skips: found.handoff_skips.map((s) => ({ ...s, at: new Date(s.at).toISOString() })),
        consent: found.consent.map((c) => ({ ...c, at: c.at.toISOString() })),
      };
    },
  );
};

function presentInboxRow(row: InboxRow) {
  return {
    id: row.id,
    contact: {
      ...row.contact,
      opted_out: row.contact.opted_out_at !== null,
      opted_out_at: iso(row.contact.opted_out_at),
    },
    campaign_id: row.campaign_id,
    line: row.line,
    state: row.state,
    status: row.status,
    assigned_to: row.assigned_to,
    needs_reply: row.needs_reply,
    unread: row.unread,
    last_message:
      row.last_message === null
        ? null
        : { ...row.last_message, at: row.last_message.at.toISOString() },
    last_activity_at: row.last_activity_at.toISOString(),
  };
}
