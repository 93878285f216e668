import { encodeListCursor } from '../../core/list-cursor.ts';
import { JORDAN_STOP } from './consent.ts';
import { AT, AUDIENCE_ID, CAMPAIGN_ID, JORDAN, MAYA, SENDERS, SMS_POOL_ID } from './ids.ts';
import type { OperationExamples } from './types.ts';

const attributes = { first_name: JORDAN.first_name, plan: 'basic' };

/** Where both live: San Francisco numbers, Pacific time. */
const geography = {
  country: 'US',
  area_code: '415',
  region: 'CA',
  time_zone: 'America/Los_Angeles',
};

/** The broadcast reached Jordan from the second San Francisco number, before he said STOP. */
const SENT_TO_JORDAN = '2026-12-07T17:00:01.649Z';
const [, jordanSender] = SENDERS;

export const CONTACT_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'GET /v1/contacts': {
    responses: {
      200: {
        contacts: [
          {
            id: MAYA.id,
            phone: MAYA.phone,
            ...geography,
            attributes: { first_name: MAYA.first_name, plan: 'pro' },
            opted_out: false,
            opted_out_at: null,
            created_at: AT.audienceImported,
          },
          {
            id: JORDAN.id,
            phone: JORDAN.phone,
            ...geography,
            attributes,
            opted_out: true,
            opted_out_at: AT.jordanOptedOut,
            created_at: AT.audienceImported,
          },
        ],
        next_cursor: encodeListCursor('contacts', { atUs: null, id: JORDAN.id }),
      },
    },
  },
  'GET /v1/contacts/{contact}': {
    responses: {
      200: {
        id: JORDAN.id,
        phone: JORDAN.phone,
        ...geography,
        attributes,
        opted_out_at: AT.jordanOptedOut,
        created_at: AT.audienceImported,
        audiences: [
          {
            id: AUDIENCE_ID,
            name: 'Spring promo list',
            created_at: AT.audienceImported,
            attributes,
            own_values: true,
          },
        ],
        consent_events: [JORDAN_STOP],
        consent: { opted_out: true, opted_out_at: AT.jordanOptedOut, last_event: JORDAN_STOP },
        sticky_sms_numbers: [
          {
            pool_id: SMS_POOL_ID,
            pool_name: 'Spring promo senders',
            number_id: jordanSender.id,
            phone: jordanSender.phone,
            state: 'active',
            assigned_at: SENT_TO_JORDAN,
          },
        ],
        imessage_line: null,
        messages: [
          {
            id: '2',
            campaign_id: CAMPAIGN_ID,
            campaign_name: 'Spring promo',
            step: 0,
            from: jordanSender.phone,
            body: 'Hi Jordan, our spring sale starts today: 20% off. Reply YES for details, STOP to opt out.',
            status: 'delivered',
            error_code: null,
            skip_reason: null,
            created_at: AT.launched,
            sent_at: SENT_TO_JORDAN,
            updated_at: '2026-12-07T17:00:03.118Z',
          },
        ],
        messages_next_cursor: null,
      },
    },
  },
};
