import { UI_URL } from './campaign-views.ts';
import { AT, CAMPAIGN_ID, SENDERS, SMS_POOL_ID } from './ids.ts';
import type { OperationExamples } from './types.ts';

const [sf, sf2, nyc] = SENDERS;

/** The first half hour of "Spring promo" in 30-second buckets (the first three shown). */
const campaignBuckets = [
  { at: '2026-12-07T17:00:00.000Z', sent: 58, delivered: 41, failed: 0, replied: 0, handed_off: 0 },
  { at: '2026-12-07T17:00:30.000Z', sent: 60, delivered: 59, failed: 1, replied: 2, handed_off: 0 },
  { at: '2026-12-07T17:01:00.000Z', sent: 60, delivered: 58, failed: 0, replied: 3, handed_off: 2 },
];

/** The cooled-down San Francisco number, hour by hour: the spam filter bit at 17:00. */
const numberBuckets = [
  { at: '2026-12-07T16:00:00.000Z', sent: 0, delivered: 0, failed: 0, delivery_rate: null },
  { at: '2026-12-07T17:00:00.000Z', sent: 40, delivered: 31, failed: 9, delivery_rate: 0.775 },
  { at: '2026-12-07T18:00:00.000Z', sent: 0, delivered: 0, failed: 0, delivery_rate: null },
];

export const ACTIVITY_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'GET /v1/campaigns/{id}/activity': {
    responses: {
      200: {
        campaign_id: CAMPAIGN_ID,
        bucket_seconds: 30,
        from: AT.launched,
        to: '2026-12-07T17:30:00.214Z',
        buckets: campaignBuckets,
        senders: [
          { from: sf.phone, sent: 415, delivered: 412, failed: 3, delivery_rate: 0.993 },
          { from: nyc.phone, sent: 369, delivered: 369, failed: 0, delivery_rate: 1 },
          { from: sf2.phone, sent: 40, delivered: 31, failed: 9, delivery_rate: 0.775 },
        ],
        schedule_ui_url: `${UI_URL.replace(/\/workflows\/.*$/, '')}/schedules/campaign-${CAMPAIGN_ID}-drip`,
      },
    },
  },
  'GET /v1/pools/{id}/numbers/{phone}/activity': {
    responses: {
      200: {
        number: { id: sf2.id, phone: sf2.phone, pool_id: SMS_POOL_ID, state: 'cooling' },
        bucket_seconds: 3600,
        from: '2026-12-07T15:32:11.604Z',
        to: '2026-12-07T18:05:00.000Z',
        buckets: numberBuckets,
      },
    },
  },
};
