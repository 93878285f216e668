import { AT, FOLLOWUP_POOL_ID, IMESSAGE_LINES, SENDERS, SMS_POOL_ID } from './ids.ts';
import type { OperationExamples } from './types.ts';

/** The server's HEALTH_* defaults, which a new pool is judged by. */
const defaultThresholds = {
  threshold: 0.8,
  min_samples: 20,
  cooldown_seconds: 900,
  probation_seconds: 3600,
  probation_good: 20,
  probation_min_samples: 5,
  overridden: [],
};

const createdPool = {
  id: SMS_POOL_ID,
  name: 'Spring promo senders',
  provider: 'twilio',
  sticky_sender: true,
  geomatch: true,
  skip_unhealthy: true,
  long_code_weight: 1,
  toll_free_weight: 1,
  short_code_weight: 1,
  health_thresholds: defaultThresholds,
  created_at: AT.poolsCreated,
};

/** Before the launch the operator rests a spam-filtered number for a day, not 15 minutes. */
const pool = {
  ...createdPool,
  health_thresholds: {
    ...defaultThresholds,
    cooldown_seconds: 86400,
    overridden: ['cooldown_seconds'],
  },
};

const followupPool = {
  ...createdPool,
  id: FOLLOWUP_POOL_ID,
  name: 'iMessage follow-up',
  provider: 'blooio',
  created_at: '2026-12-07T15:31:27.502Z',
};

const [sf, sf2, nyc] = SENDERS;

/** Why health cooled the second San Francisco number down. */
export const COOLING_REASON =
  'delivery rate 78% over last 40 sender-attributable messages (9× 30007 Carrier filtering: message flagged as spam from this sender) is below 80%';

/** When each long code joined the Twilio pool. */
const ADDED: Readonly<Record<string, string>> = {
  [sf.id]: '2026-12-07T15:32:10.118Z',
  [sf2.id]: '2026-12-07T15:32:11.604Z',
  [nyc.id]: '2026-12-07T15:32:13.020Z',
};

/** A long code of the Twilio pool as the API shows it, as it was when added. */
export const number = (sender: (typeof SENDERS)[number]) => {
  const created_at = ADDED[sender.id] ?? AT.poolsCreated;
  return {
    id: sender.id,
    pool_id: SMS_POOL_ID,
    phone: sender.phone,
    kind: 'long_code',
    weight: 1,
    mps: 1,
    mms_mps: null,
    daily_cap: null,
    area_code: sender.area_code,
    region: sender.region,
    state: 'active',
    state_changed_at: created_at,
    cooling_until: null,
    created_at,
  };
};

const health = (delivered: number, samples: number, failures: Record<string, number> = {}) => ({
  delivery_rate: samples === 0 ? null : Math.round((delivered / samples) * 1000) / 1000,
  samples,
  delivered,
  sender_failures: samples - delivered,
  failures_by_code: failures,
  threshold: 0.8,
  min_samples: 20,
});

const counts = (numbers: number) => ({
  numbers,
  active: numbers,
  probation: 0,
  cooling: 0,
  retired: 0,
  misconfigured: 0,
  paused: 0,
});

export const POOL_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'POST /v1/pools': {
    request: { name: pool.name, provider: 'twilio', sticky_sender: true, geomatch: true },
    responses: { 201: createdPool },
  },
  'PATCH /v1/pools/{id}': {
    request: { health_thresholds: { cooldown_seconds: 86400 } },
    responses: { 200: pool },
  },
  'GET /v1/pools': {
    responses: {
      200: {
        pools: [
          { ...pool, counts: counts(3) },
          { ...followupPool, counts: counts(IMESSAGE_LINES.length) },
        ],
      },
    },
  },
  'GET /v1/pools/{id}': {
    responses: {
      200: {
        ...pool,
        numbers: [
          {
            ...number(sf),
            health: health(412, 415, { 30007: 3 }),
            new_recipients_today: 415,
            sticky_contacts: 415,
            recent_changes: [],
          },
          {
            ...number(sf2),
            state: 'cooling',
            state_changed_at: AT.cooled,
            cooling_until: '2026-12-08T17:41:09.377Z',
            health: health(31, 40, { 30007: 9 }),
            new_recipients_today: 402,
            sticky_contacts: 402,
            recent_changes: [
              {
                from: 'active',
                to: 'cooling',
                reason: COOLING_REASON,
                error_code: 30007,
                delivery_rate: 0.775,
                samples: 40,
                at: AT.cooled,
              },
            ],
          },
          {
            ...number(nyc),
            health: health(369, 369),
            new_recipients_today: 369,
            sticky_contacts: 369,
            recent_changes: [],
          },
        ],
        recent_reassignments: [
          {
            contact_id: '1077',
            from_number_id: sf2.id,
            to_number_id: sf.id,
            reason: `previous sender ${sf2.phone} is cooling down`,
            at: '2026-12-07T17:43:27.810Z',
          },
        ],
      },
    },
  },
  'POST /v1/pools/{id}/numbers': {
    request: { phone: nyc.phone, kind: 'long_code', weight: 1, mps: 1 },
    responses: { 201: number(nyc) },
  },
  /** Two days later the operator gives up on the once-filtered number. */
  'DELETE /v1/pools/{id}/numbers/{phone}': {
    responses: {
      200: {
        number: {
          ...number(sf2),
          state: 'retired',
          state_changed_at: '2026-12-09T18:05:52.930Z',
        },
        moved_contacts: 402,
        unassigned_contacts: 0,
      },
    },
  },
};
