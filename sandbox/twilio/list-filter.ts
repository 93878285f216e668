import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { parseDatePeriod, wholeDays, type Period } from './date-filter.ts';
import { errors, type TwilioError } from './errors.ts';

/** The Messages list filters, parsed: `DateSent` matches whole GMT days, `<` and `>` include their bound. */
export interface ListFilter {
  readonly to?: string;
  readonly from?: string;
  /** `DateSent`: sent on the GMT day(s) of the value. */
  readonly sentOn?: Period;
  /** `DateSent<`: sent on or before the value (a day: up to its end). */
  readonly sentBefore?: Period;
  /** `DateSent>`: sent on or after the value (a day: from its start). */
  readonly sentAfter?: Period;
}

export type ListFilterResult =
  | { readonly ok: true; readonly filter: ListFilter }
  | { readonly ok: false; readonly error: TwilioError };

/** Reads `To`, `From`, `DateSent`, `DateSent<` and `DateSent>`; an unreadable date is 20001. */
export function parseListFilter(query: Readonly<Record<string, string>>): ListFilterResult {
  const on = dateFilter(query.DateSent);
  const before = dateFilter(query['DateSent<']);
  const after = dateFilter(query['DateSent>']);
  if (on === null || before === null || after === null) {
    return { ok: false, error: errors.invalidDate() };
  }
  return {
    ok: true,
    filter: {
      to: phoneFilter(query.To),
      from: phoneFilter(query.From),
      sentOn: on === undefined ? undefined : wholeDays(on),
      sentBefore: before,
      sentAfter: after,
    },
  };
}

/** Undefined when absent or empty, null when Twilio would refuse it. */
function dateFilter(value: string | undefined): Period | null | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return parseDatePeriod(value);
}

/**
 * A phone filter in E.164, read like a create's `To` (US by default); anything else (a short code,
 * an alphanumeric sender) is compared as given. A `+` sent unencoded arrives as a space: trimmed.
 */
function phoneFilter(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  const parsed = parsePhoneNumberFromString(text, 'US');
  return parsed?.isPossible() === true ? parsed.number : text;
}
