import { AT, MAYA, SENDERS, SMS_POOL_ID } from './ids.ts';
import type { OperationExamples } from './types.ts';

/** After the broadcast, one MMS to Maya outside any campaign: the spring catalogue. */
const BODY = 'Hi Maya, here is the spring catalogue you asked about.';
const MEDIA = ['https://acme.example.com/media/spring-catalogue.jpg'];
const [mayaSender] = SENDERS;

/** As accepted: the pool chose the number that texted her before, and will send it. */
const accepted = {
  id: '1318',
  campaign_id: null,
  pool_id: SMS_POOL_ID,
  to: MAYA.phone,
  from: mayaSender.phone,
  sender_reason: 'sticky',
  body: BODY,
  media_urls: MEDIA,
  num_media: MEDIA.length,
  segments: 1,
  status: 'pending',
  deferred_until: null,
  wait_reason: null,
  wait_detail: null,
  error_code: null,
  skip_reason: null,
  attempts: 0,
  provider_sid: null,
  created_at: AT.oneOffSent,
  updated_at: AT.oneOffSent,
  sent_at: null,
  final_at: null,
};

export const MESSAGE_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'POST /v1/messages': {
    request: { to: MAYA.phone, body: BODY, media_urls: MEDIA, pool_id: SMS_POOL_ID },
    responses: { 202: accepted },
  },
  'GET /v1/messages/{id}': {
    responses: {
      200: {
        ...accepted,
        status: 'delivered',
        attempts: 1,
        provider_sid: 'MM3f7d0a52c91e48b6a2d5f8c1e4b7a903',
        updated_at: '2026-12-07T19:15:34.902Z',
        sent_at: '2026-12-07T19:15:31.117Z',
        final_at: '2026-12-07T19:15:34.902Z',
      },
    },
  },
};
