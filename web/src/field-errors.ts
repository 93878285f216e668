/**
 * Where an API error belongs in a form: the field of the request it names, as a path of the
 * request body (`steps.1.template`, `drip.cron`, `sending_window.end`). A 400 from the schema
 * names its paths (`body.drip.cron`); the campaign checks name the step of a template, the pool
 * or audience they did not find. A form shows each message beside its field (FieldError) and
 * the whole message under the form too, so nothing the API says is lost.
 */
import { ApiError } from './api-error.ts';

export type FieldErrors = Record<string, string[]>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function add(errors: FieldErrors, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

/** The field a check of the campaign's answer is about, from its code and message. */
function fieldOfCode(code: string, message: string): string | null {
  switch (code) {
    case 'unknown_audience':
      return message.startsWith('Excluded') ? 'exclude_audience_ids' : 'audience_id';
    case 'unknown_pool':
    case 'wrong_pool_provider':
      return /follow-?up/i.test(message) ? 'followup_pool_id' : 'sms_pool_id';
    case 'unknown_suppression_list':
      return 'suppression_list_ids';
    default:
      return null;
  }
}

export function fieldErrors(error: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (!(error instanceof ApiError)) return errors;
  const details = Array.isArray(error.details) ? error.details : [];
  for (const detail of details) {
    if (!isRecord(detail)) continue;
    const message = typeof detail.message === 'string' ? detail.message : error.message;
    if (typeof detail.path === 'string' && detail.path.startsWith('body'))
      add(errors, detail.path.replace(/^body\.?/, ''), message);
    else if (typeof detail.step === 'number') add(errors, `steps.${detail.step}.template`, message);
    else if (typeof detail.field === 'string') add(errors, detail.field, message);
  }
  const field = error.code === null ? null : fieldOfCode(error.code, error.message);
  if (field !== null) add(errors, field, error.message);
  return errors;
}

/** The messages for a field and everything under it (`filter` shows `filter.all.0.value`). */
export function errorsAt(errors: FieldErrors, field: string): string[] {
  return Object.entries(errors)
    .filter(([path]) => path === field || path.startsWith(`${field}.`))
    .flatMap(([, messages]) => messages);
}
