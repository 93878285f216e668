import { z } from 'zod';
import { CONSENT_SOURCES } from '../../core/consent.ts';
import type { ConsentEventRow } from '../../db/consent-events.ts';

export const consentEventView = z.object({
  id: z.string(),
  contact_id: z.string(),
  phone: z.string(),
  action: z.enum(['opt_out', 'opt_in']),
  channel: z.enum(['sms', 'imessage', 'all']).describe("'all': every channel (an operator's)"),
  source: z
    .enum(CONSENT_SOURCES)
    .describe(
      'sms_keyword / imessage_keyword: the person texted it; carrier_21610: the carrier refused a text as unsubscribed; operator: POST /v1/contacts/:contact/opt-out|opt-in; suppression_import: a suppression list',
    ),
  keyword: z.string().nullable(),
  detail: z
    .string()
    .nullable()
    .describe('The exact inbound text, the carrier error (code: words) or the operator request'),
  reason: z.string().nullable().describe("The operator's stated reason"),
  campaign_id: z.string().nullable(),
  message_id: z.string().nullable().describe('The outbound message whose send or status made it'),
  inbound_message_id: z.string().nullable(),
  created_at: z.string(),
});
export type ConsentEventView = z.infer<typeof consentEventView>;

/** The columns of the CSV export, in order: the JSON view's fields. */
export const CONSENT_CSV_COLUMNS = Object.keys(
  consentEventView.shape,
) as readonly (keyof ConsentEventView)[];

export function presentConsentEvent(row: ConsentEventRow): ConsentEventView {
  return {
    id: row.id,
    contact_id: row.contact_id,
    phone: row.phone,
    action: row.action,
    channel: row.channel,
    source: row.source,
    keyword: row.keyword,
    detail: row.detail,
    reason: row.reason,
    campaign_id: row.campaign_id,
    message_id: row.message_id,
    inbound_message_id: row.inbound_message_id,
    created_at: row.created_at.toISOString(),
  };
}

export const consentQuery = z.object({
  since: z
    .string()
    .max(40)
    .optional()
    .describe('Events at or after this ISO 8601 time (with its offset, or a date: midnight UTC)'),
  cursor: z.string().max(200).optional().describe('`next_cursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const consentCsvQuery = consentQuery.pick({ since: true });

export const consentPage = z.object({
  events: z.array(consentEventView),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null: no more'),
});

export const operatorConsentBody = z.object({
  reason: z
    .string()
    .trim()
    .min(1, 'a reason is required')
    .max(500)
    .describe('Why: kept with the consent record'),
});

export const consentChangeView = z.object({
  contact: z.object({
    id: z.string(),
    phone: z.string(),
    opted_out: z.boolean(),
    opted_out_at: z.string().nullable(),
  }),
  changed: z.boolean().describe('False: the contact was in that state already; nothing recorded'),
  event: consentEventView.nullable(),
  skipped_pending: z
    .number()
    .describe('Messages of any campaign not yet sent that this opt-out skipped'),
});
