/**
 * The new-campaign form's state and the `POST /v1/campaigns` body it makes. The form keeps what
 * the operator typed (strings); this turns it into the request without judging it: the API's
 * checks decide, and their answers come back beside the fields (web/src/field-errors.ts).
 */
import type { paths } from '../../client/index.ts';
import { FILTER_OPS, type FilterOp } from '../../core/contact-filter.ts';
import type { DRIP_CONDITIONS } from '../../core/drip-condition.ts';

type CampaignBody = paths['/v1/campaigns']['post']['requestBody']['content']['application/json'];
type Filter = NonNullable<CampaignBody['filter']>;
type Condition = NonNullable<Filter['all']>[number];

export interface StepDraft {
  template: string;
  delayHours: string;
  condition: (typeof DRIP_CONDITIONS)[number];
}

// The operators are the API's own (core/contact-filter.ts, a file with no imports).
export { FILTER_OPS, type FilterOp };

export const OP_LABEL: Record<FilterOp, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of (comma-separated)',
  not_in: 'is none of (comma-separated)',
  exists: 'has a value',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
};

export interface ConditionDraft {
  field: string;
  op: FilterOp;
  value: string;
}

export interface Draft {
  name: string;
  audienceId: string;
  smsPoolId: string;
  followupPoolId: string;
  steps: StepDraft[];
  windowStart: string;
  windowEnd: string;
  /** `datetime-local` text in the browser's time zone; empty: start at launch. */
  startAt: string;
  dripMode: 'interval' | 'cron';
  dripMinutes: string;
  dripCron: string;
  dripTimeZone: string;
  match: 'all' | 'any';
  conditions: ConditionDraft[];
  excludeAudienceIds: string[];
  suppressionListIds: string[];
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function emptyDraft(): Draft {
  return {
    name: '',
    audienceId: '',
    smsPoolId: '',
    followupPoolId: '',
    steps: [{ template: 'Hi {{first_name | there}}, ', delayHours: '0', condition: 'all' }],
    windowStart: '09:00',
    windowEnd: '20:00',
    startAt: '',
    dripMode: 'interval',
    dripMinutes: '60',
    dripCron: '0 10 * * 1-5',
    dripTimeZone: browserTimeZone(),
    match: 'all',
    conditions: [],
    excludeAudienceIds: [],
    suppressionListIds: [],
  };
}

function condition(draft: ConditionDraft): Condition {
  const field = draft.field.trim();
  switch (draft.op) {
    case 'eq':
    case 'neq':
      return { field, op: draft.op, value: draft.value };
    case 'in':
    case 'not_in':
      return {
        field,
        op: draft.op,
        value: draft.value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== ''),
      };
    case 'exists':
      return { field, op: 'exists', value: true };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { field, op: draft.op, value: Number(draft.value) };
  }
}

/** A number typed in a field, or NaN (sent as null: the API says what is wrong with it). */
const numberOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** `datetime-local` text (the browser's time) as an ISO instant; unreadable text as typed. */
function instant(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

export function requestBody(draft: Draft): CampaignBody {
  const conditions = draft.conditions.map(condition);
  return {
    name: draft.name.trim(),
    audience_id: draft.audienceId,
    sms_pool_id: draft.smsPoolId,
    ...(draft.followupPoolId === '' ? {} : { followup_pool_id: draft.followupPoolId }),
    steps: draft.steps.map((step, index) => ({
      template: step.template,
      delay_seconds: index === 0 ? 0 : Math.round(numberOf(step.delayHours) * 3600),
      condition: index === 0 ? 'all' : step.condition,
    })),
    sending_window: { start: draft.windowStart, end: draft.windowEnd },
    ...(draft.startAt === '' ? {} : { start_at: instant(draft.startAt) }),
    drip:
      draft.dripMode === 'cron'
        ? { cron: draft.dripCron.trim(), time_zone: draft.dripTimeZone.trim() }
        : {
            every_seconds: Math.round(numberOf(draft.dripMinutes) * 60),
            time_zone: draft.dripTimeZone.trim(),
          },
    ...(conditions.length === 0 ? {} : { filter: { [draft.match]: conditions } }),
    exclude_audience_ids: draft.excludeAudienceIds,
    suppression_list_ids: draft.suppressionListIds,
  };
}
