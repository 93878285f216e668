import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contactConsentHistory } from '../../db/consent-events.ts';
import {
  contactMessagesPage,
  conversationLineOf,
  stickyNumbersOf,
  type StickyNumberRow,
} from '../../db/contact-detail.ts';
import { contactProfile } from '../../db/contact-profile.ts';
import { NUMBER_STATES } from '../../core/sender-pool.ts';
import { readCursor, toPage } from '../list-page.ts';
import { findByContactKey } from '../contact-key.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { consentEventView, presentConsentEvent } from '../schemas/consent.ts';

/** The consent history shown on a profile: the newest changes (all: GET /v1/consent-events). */
const CONSENT_HISTORY = 100;

const params = z.object({ contact: z.string().min(1).max(40) });
const detailQuery = z.object({
  messages_limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .describe('Campaign messages per page (1–500, 50 by default)'),
  messages_cursor: z
    .string()
    .max(200)
    .optional()
    .describe('`messages_next_cursor` of the previous answer: the next (older) messages'),
});

const stickyNumber = z.object({
  pool_id: z.string(),
  pool_name: z.string(),
  number_id: z.string(),
  phone: z.string(),
  state: z.enum(NUMBER_STATES),
  assigned_at: z.string(),
});

const contactMessage = z.object({
  id: z.string(),
  campaign_id: z.string(),
  campaign_name: z.string(),
  step: z.number(),
  from: z.string().nullable(),
  body: z.string().nullable(),
  status: z.string(),
  error_code: z.number().nullable(),
  skip_reason: z.string().nullable(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
  updated_at: z.string(),
});

function presentSticky(row: StickyNumberRow) {
  return {
    pool_id: row.pool_id,
    pool_name: row.pool_name,
    number_id: row.number_id,
    phone: row.phone,
    state: row.state,
    assigned_at: row.assigned_at.toISOString(),
  };
}
const values = z.record(z.string(), z.string());

const profile = z.object({
  id: z.string(),
  phone: z.string(),
  country: z.string(),
  area_code: z.string().nullable(),
  region: z.string().nullable(),
  time_zone: z.string().nullable(),
  attributes: values.describe('The latest values: each upload merges its row in, newest wins'),
  opted_out_at: z.string().nullable(),
  created_at: z.string(),
  audiences: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      created_at: z.string(),
      attributes: values.describe("The values this audience's campaigns render"),
      own_values: z
        .boolean()
        .describe('False: the membership predates per-audience values; the latest apply'),
    }),
  ),
  consent_events: z
    .array(consentEventView)
    .describe(`The contact's consent changes, newest first (at most ${CONSENT_HISTORY})`),
  consent: z
    .object({
      opted_out: z.boolean().describe('True: nothing is sent to them, on any channel'),
      opted_out_at: z.string().nullable(),
      last_event: consentEventView.nullable().describe('The latest consent change, if any'),
    })
    .describe('Where consent stands now'),
  sticky_sms_numbers: z
    .array(stickyNumber)
    .describe("The contact's remembered SMS sender in each Twilio pool that texted them"),
  imessage_line: stickyNumber
    .omit({ pool_name: true, assigned_at: true })
    .nullable()
    .describe(
      "The contact's sticky Blooio line: its conversation's line, else the one a follow-up pool keeps for them; null: none yet",
    ),
  messages: z
    .array(contactMessage)
    .describe('Campaign messages to the contact across every campaign, newest first'),
  messages_next_cursor: z
    .string()
    .nullable()
    .describe('Pass as `messages_cursor` for older messages; null: there are no more'),
});

/** `GET /v1/contacts/:contact`: a contact's values, consent, sticky numbers and messages. */
export const contactRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  app.get(
    '/contacts/:contact',
    {
      schema: {
        summary:
          'A contact (by id or phone): values, consent, sticky numbers and every campaign message',
        params,
        querystring: detailQuery,
        response: { 200: profile },
      },
    },
    async (request) => {
      const key = request.params.contact;
      const found = await findByContactKey(key, config.DEFAULT_COUNTRY, (contact) =>
        contactProfile(db, contact),
      );
      if (found === undefined) throw notFound('Contact', key);
      const { contact, audiences } = found;
      const { messages_limit: limit, messages_cursor: cursor } = request.query;
      const after = readCursor('contact_messages', cursor);
      const [consent, sticky, line, messages] = await Promise.all([
        contactConsentHistory(db, contact.id, CONSENT_HISTORY),
        stickyNumbersOf(db, contact.id),
        conversationLineOf(db, contact.id),
        contactMessagesPage(db, contact.id, { beforeId: after?.id ?? null, limit: limit + 1 }),
      ]);
      const page = toPage('contact_messages', messages, limit, (m) => ({ atUs: null, id: m.id }));
      const blooio = sticky.find((s) => s.provider === 'blooio');
      const lastEvent = consent[0];
      return {
        ...contact,
        opted_out_at: contact.opted_out_at === null ? null : contact.opted_out_at.toISOString(),
        created_at: contact.created_at.toISOString(),
        audiences: audiences.map((audience) => ({
          ...audience,
          created_at: new Date(audience.created_at).toISOString(),
        })),
        consent_events: consent.map(presentConsentEvent),
        consent: {
          opted_out: contact.opted_out_at !== null,
          opted_out_at: contact.opted_out_at?.toISOString() ?? null,
          last_event: lastEvent === undefined ? null : presentConsentEvent(lastEvent),
        },
        sticky_sms_numbers: sticky.filter((s) => s.provider === 'twilio').map(presentSticky),
        imessage_line:
          line ??
          (blooio === undefined
            ? null
            : {
                pool_id: blooio.pool_id,
                number_id: blooio.number_id,
                phone: blooio.phone,
                state: blooio.state,
              }),
        messages: page.rows.map((m) => ({
          id: m.id,
          campaign_id: m.campaign_id,
          campaign_name: m.campaign_name,
          step: m.step,
          from: m.from_phone,
          body: m.body,
          status: m.status,
          error_code: m.error_code,
          skip_reason: m.skip_reason,
          created_at: m.created_at.toISOString(),
          sent_at: m.sent_at?.toISOString() ?? null,
          updated_at: m.updated_at.toISOString(),
        })),
        messages_next_cursor: page.next_cursor,
      };
    },
  );
};
