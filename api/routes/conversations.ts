import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conversationView } from '../../db/conversation-view.ts';
import type { ApiDeps } from '../deps.ts';
import { findByContactKey } from '../contact-key.ts';
import { notFound } from '../errors.ts';

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

const params = z.object({ contact: z.string().min(1).max(40) });

const view = z.object({
  contact: z.object({ id: z.string(), phone: z.string(), opted_out_at: z.string().nullable() }),
  conversation: z
    .object({
      workflow_id: z.string(),
      status: z.string(),
      campaign_id: z.string().nullable(),
      number: z.string().nullable(),
      handed_off_at: z.string().nullable(),
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
      keyword: z.string().nullable(),
      at: z.string(),
    }),
  ),
});

/** `GET /v1/conversations/:contact`: by contact id, or by phone number (any common format). */
export const conversationRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
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
