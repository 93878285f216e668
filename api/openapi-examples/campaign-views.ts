import {
  AT,
  AUDIENCE_ID,
  CAMPAIGN_ID,
  FOLLOWUP_POOL_ID,
  SMS_POOL_ID,
  SUPPRESSION_LIST_ID,
} from './ids.ts';

/** "Spring promo" as created (a draft) and half an hour after its launch. */
const FIRST =
  'Hi {{first_name}}, our spring sale starts today: 20% off. Reply YES for details, STOP to opt out.';
const REMINDER =
  'Last day of the spring sale, {{first_name}}: 20% off ends tonight. Reply YES for details.';
const FOLLOWUP = 'Thanks {{first_name}}! Dana from Acme here: this is my line, ask me anything.';

export const CAMPAIGN_REQUEST = {
  name: 'Spring promo',
  audience_id: AUDIENCE_ID,
  sms_pool_id: SMS_POOL_ID,
  followup_pool_id: FOLLOWUP_POOL_ID,
  steps: [{ template: FIRST }, { template: REMINDER, delay_seconds: 86400, condition: 'no_reply' }],
  sending_window: { start: '09:00', end: '20:00' },
  max_segments: 2,
  handoff: { mode: 'imessage', followup_text: FOLLOWUP },
  suppression_list_ids: [SUPPRESSION_LIST_ID],
  interested_keywords: ['YES', 'INFO'],
};

const zero = {
  targeted: 0,
  pending: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  skipped: 0,
  cancelled: 0,
};
const segments = {
  encoding: 'GSM-7',
  per_message: 1,
  static_part: 1,
  sampled: true,
  estimated_total: 1200,
};
const window = { start: '09:00', end: '20:00' };

const emptyFunnel = {
  targeted: 0,
  skipped: 0,
  skipped_reasons: {},
  queued: 0,
  sending: 0,
  unknown: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  retried: 0,
  deferred: 0,
  waiting_reasons: {},
  cancelled: 0,
  replied: 0,
  interested: 0,
  handed_off: 0,
  not_handed_off: {},
  opted_out: 0,
};

/** The campaign just created: a draft, nothing sent. Its legal floor lists two of the states. */
export const DRAFT_CAMPAIGN = {
  id: CAMPAIGN_ID,
  name: CAMPAIGN_REQUEST.name,
  status: 'draft',
  audience_id: AUDIENCE_ID,
  sms_pool_id: SMS_POOL_ID,
  followup_pool_id: FOLLOWUP_POOL_ID,
  start_at: null,
  filter: null,
  exclude_audience_ids: [],
  handoff: {
    mode: 'imessage',
    followup_text: FOLLOWUP,
    text_us_text: 'Thanks! Text us at {{number}} to chat with us directly.',
  },
  sending_window: window,
  sending_window_effective: window,
  legal_floor: {
    federal: { start: '08:00', end: '21:00', source: 'TCPA, 47 CFR 64.1200(c)(1)' },
    effective: window,
    clamped: false,
    state_rules: [
      {
        state: 'FL',
        weekdays: { start: '08:00', end: '20:00' },
        holidays: [],
        source: 'Fla. Stat. § 501.616(6)(a)',
      },
      {
        state: 'TX',
        weekdays: { start: '09:00', end: '21:00' },
        sunday: { start: '12:00', end: '21:00' },
        holidays: [],
        source: 'Tex. Bus. & Com. Code § 301.051',
      },
    ],
  },
  max_segments: 2,
  retry_policy: { max_attempts: 3, backoff_seconds: 60 },
  frequency_cap: { max: 3, days: 7 },
  suppression_list_ids: ['global', SUPPRESSION_LIST_ID],
  steps: [
    {
      step: 0,
      template: FIRST,
      delay_seconds: 0,
      condition: 'all',
      condition_keyword: null,
      media_urls: [],
      segments,
      counts: zero,
    },
    {
      step: 1,
      template: REMINDER,
      delay_seconds: 86400,
      condition: 'no_reply',
      condition_keyword: null,
      media_urls: [],
      segments,
      counts: zero,
    },
  ],
  drip: { every_seconds: 3600, time_zone: 'UTC' },
  next_drip_run_at: null,
  workflow_id: null,
  temporal_ui_url: null,
  created_at: AT.campaignCreated,
  launched_at: null,
  finished_at: null,
  funnel: emptyFunnel,
  stalled: null,
};

export const WORKFLOW_ID = `campaign-${CAMPAIGN_ID}`;
export const UI_URL = `http://127.0.0.1:8233/namespaces/default/workflows/${WORKFLOW_ID}`;
/** 09:00 in Honolulu, where the window opens last. */
export const HAWAII_OPENS = '2026-12-07T19:00:00.000Z';

/** The template needs a first name: the operator texts only contacts that have one. */
export const TARGETING = { filter: { all: [{ field: 'first_name', op: 'exists' }] } };

/** The draft after that change (PATCH). */
export const PATCHED_CAMPAIGN = { ...DRAFT_CAMPAIGN, ...TARGETING };

/** The first step's messages half an hour after launch. */
export const BROADCAST_COUNTS = {
  targeted: 1200,
  pending: 209,
  sent: 61,
  delivered: 902,
  failed: 9,
  skipped: 19,
  cancelled: 0,
};

/** Half an hour after launch: most texts delivered, Hawaii waiting for its window. */
export const RUNNING_CAMPAIGN = {
  ...PATCHED_CAMPAIGN,
  status: 'running',
  steps: [
    {
      ...DRAFT_CAMPAIGN.steps[0],
      counts: BROADCAST_COUNTS,
    },
    DRAFT_CAMPAIGN.steps[1],
  ],
  next_drip_run_at: '2026-12-07T18:00:00.000Z',
  workflow_id: WORKFLOW_ID,
  temporal_ui_url: UI_URL,
  launched_at: AT.launched,
  funnel: {
    ...emptyFunnel,
    targeted: 1200,
    skipped: 19,
    skipped_reasons: { opted_out: 11, suppressed: 3, filtered_out: 5 },
    queued: 38,
    sending: 4,
    sent: 61,
    delivered: 902,
    failed: 9,
    retried: 17,
    deferred: 167,
    waiting_reasons: { quiet_hours: { count: 167, deferred_until: HAWAII_OPENS } },
    replied: 48,
    interested: 31,
    handed_off: 29,
    not_handed_off: { opted_out: 2 },
    opted_out: 6,
  },
};
