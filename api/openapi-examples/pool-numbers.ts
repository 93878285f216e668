import { AT, SENDERS, SMS_POOL_ID } from './ids.ts';
import { COOLING_REASON, number } from './pools.ts';
import type { OperationExamples } from './types.ts';

const [sf, sf2, nyc] = SENDERS;

const RELEASE_REASON = 'carrier confirmed the filter was lifted';
const CAP_REASON = 'ease it back in after the spam filter';

/** The filtered San Francisco number, let back early: on probation, capped for the day. */
const releasedSf2 = {
  ...number(sf2),
  state: 'probation',
  state_changed_at: AT.released,
};

/** What importing the Twilio account would do: the three long codes are already in. */
const importListing = [
  { number: sf, sid: 'PN3b8e1f0c6a2d4e7f9b1c3d5e7f9a1b2c' },
  { number: sf2, sid: 'PN4c9f2a1d7b3e4f8a0c2d4e6f8a0b1c3d' },
  { number: nyc, sid: 'PN5da03b2e8c4f4a9b1d3e5f7a9b1c2d4e' },
].map(({ number: sender, sid }) => ({
  phone: sender.phone,
  sid,
  kind: 'long_code',
  result: 'already_in_pool',
  webhook: 'already_set',
  pool_id: null,
  error: null,
}));

export const POOL_NUMBER_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'POST /v1/pools/{id}/numbers/import': {
    request: { dry_run: true },
    responses: {
      200: {
        pool_id: SMS_POOL_ID,
        dry_run: true,
        webhook_url: 'https://tandem.example.com/webhooks/twilio/inbound',
        listed: 5,
        counts: { already_in_pool: 3, added: 1, skipped_not_sms_capable: 1 },
        numbers: [
          ...importListing,
          {
            phone: '+18885550140',
            sid: 'PN6eb14c3f9d5a4b0c2e4f6a8b0c2d3e5f',
            kind: 'toll_free',
            result: 'added',
            webhook: 'set',
            pool_id: null,
            error: null,
          },
          {
            phone: '+14155550199',
            sid: 'PN7fc25d4a0e6b4c1d3f5a7b9c1d3e4f6a',
            kind: null,
            result: 'skipped_not_sms_capable',
            webhook: 'not_touched',
            pool_id: null,
            error: null,
          },
        ],
      },
    },
  },
  'POST /v1/pools/{id}/numbers/{phone}/release': {
    request: { reason: RELEASE_REASON },
    responses: { 200: releasedSf2 },
  },
  'PATCH /v1/pools/{id}/numbers/{phone}': {
    request: { daily_cap: 200, reason: CAP_REASON },
    responses: { 200: { ...releasedSf2, daily_cap: 200 } },
  },
  'POST /v1/pools/{id}/numbers/{phone}/pause': {
    request: { reason: 'carrier complaint under review' },
    responses: {
      200: { ...number(nyc), state: 'paused', state_changed_at: AT.nycPaused },
    },
  },
  'POST /v1/pools/{id}/numbers/{phone}/resume': {
    request: { reason: 'the complaint was about another sender' },
    responses: {
      200: { ...number(nyc), state: 'active', state_changed_at: AT.nycResumed },
    },
  },
  'GET /v1/pools/{id}/numbers/{phone}/history': {
    responses: {
      200: {
        number: { id: sf2.id, phone: sf2.phone, pool_id: SMS_POOL_ID, state: 'active' },
        history: [
          {
            kind: 'state_change',
            actor: 'tandem',
            from_state: 'probation',
            to_state: 'active',
            reason: 'probation passed: 20 delivered of 20 sender-attributable messages',
            error_code: null,
            delivery_rate: 1,
            samples: 20,
            changes: null,
            at: AT.probationPassed,
          },
          {
            kind: 'settings_change',
            actor: 'ops-team',
            from_state: null,
            to_state: null,
            reason: CAP_REASON,
            error_code: null,
            delivery_rate: null,
            samples: null,
            changes: { daily_cap: { before: null, after: 200 } },
            at: AT.capped,
          },
          {
            kind: 'state_change',
            actor: 'ops-team',
            from_state: 'cooling',
            to_state: 'probation',
            reason: `release: ${RELEASE_REASON}`,
            error_code: null,
            delivery_rate: null,
            samples: null,
            changes: null,
            at: AT.released,
          },
          {
            kind: 'state_change',
            actor: 'tandem',
            from_state: 'active',
            to_state: 'cooling',
            reason: COOLING_REASON,
            error_code: 30007,
            delivery_rate: 0.775,
            samples: 40,
            changes: null,
            at: AT.cooled,
          },
        ],
      },
    },
  },
};
