import { csvRecord } from '../../core/csv-write.ts';
import { CONSENT_CSV_COLUMNS } from '../schemas/consent.ts';
import { AT, CAMPAIGN_ID, JORDAN, SUPPRESSION_LIST_ID } from './ids.ts';
import type { OperationExamples } from './types.ts';

/** A number of the "Do not text" list, recorded as opted out when the list was uploaded. */
const suppressed = {
  id: '1',
  contact_id: '1201',
  phone: '+14155550199',
  action: 'opt_out',
  channel: 'all',
  source: 'suppression_import',
  keyword: null,
  detail: `suppression list Do not text (${SUPPRESSION_LIST_ID}), line 2`,
  reason: null,
  campaign_id: null,
  message_id: null,
  inbound_message_id: null,
  created_at: '2026-12-07T15:39:02.881Z',
};

/** Jordan texted STOP to the campaign's number. */
export const JORDAN_STOP = {
  ...suppressed,
  id: '7',
  contact_id: JORDAN.id,
  phone: JORDAN.phone,
  channel: 'sms',
  source: 'sms_keyword',
  keyword: 'STOP',
  detail: 'STOP',
  campaign_id: CAMPAIGN_ID,
  inbound_message_id: '58',
  created_at: AT.jordanOptedOut,
};

/** Someone who called in: an operator opts them out, and later back in. */
const CALLER = { id: '1051', phone: '+13105550188' };
const OPT_OUT_REASON = 'Asked on the phone not to be texted';
const operatorEvent = (action: string, reason: string, created_at: string) => ({
  ...suppressed,
  id: action === 'opt_out' ? '8' : '9',
  contact_id: CALLER.id,
  phone: CALLER.phone,
  action,
  source: 'operator',
  detail: JSON.stringify({
    method: 'POST',
    path: `/v1/contacts/${CALLER.phone}/${action === 'opt_out' ? 'opt-out' : 'opt-in'}`,
    body: { reason },
  }),
  reason,
  created_at,
});
const optedOut = operatorEvent('opt_out', OPT_OUT_REASON, '2026-12-07T17:25:40.306Z');
const OPT_IN_REASON = 'Signed up again on the web form';
const optedIn = operatorEvent('opt_in', OPT_IN_REASON, '2026-12-09T10:02:11.649Z');

const change = (event: typeof optedOut | null, opted_out_at: string | null, skipped = 0) => ({
  contact: { ...CALLER, opted_out: opted_out_at !== null, opted_out_at },
  changed: event !== null,
  event,
  skipped_pending: skipped,
});

const EVENTS = [suppressed, JORDAN_STOP, optedOut, optedIn];

/** The export of the same events, as the route writes it. */
const CSV = [
  csvRecord(CONSENT_CSV_COLUMNS),
  ...EVENTS.map((event) => csvRecord(CONSENT_CSV_COLUMNS.map((column) => event[column]))),
].join('');

export const CONSENT_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'POST /v1/contacts/{contact}/opt-out': {
    request: { reason: OPT_OUT_REASON },
    responses: {
      201: change(optedOut, optedOut.created_at, 1),
      200: change(null, optedOut.created_at),
    },
  },
  'POST /v1/contacts/{contact}/opt-in': {
    request: { reason: OPT_IN_REASON },
    responses: { 201: change(optedIn, null), 200: change(null, null) },
  },
  'GET /v1/consent-events': {
    responses: { 200: { events: EVENTS, next_cursor: null } },
  },
  'GET /v1/consent-events.csv': { responses: { 200: CSV } },
};
