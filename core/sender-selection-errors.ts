import { assertNever } from './assert-never.ts';

export type SelectionErrorCode =
  | 'no_numbers'
  | 'from_number_not_owned'
  | 'from_number_unavailable'
  | 'all_unhealthy'
  | 'all_misconfigured'
  | 'daily_cap_reached'
  | 'no_eligible_numbers';

export interface SelectionError {
  ok: false;
  contactId: string;
  code: SelectionErrorCode;
  message: string;
}

/** Texts follow the Blooio and Telnyx documents where they have one. */
export function selectionErrorMessage(code: SelectionErrorCode): string {
  switch (code) {
    case 'no_numbers':
      return 'No numbers assigned to this pool';
    case 'from_number_not_owned':
      return 'This API key does not own the specified from_number';
    case 'from_number_unavailable':
      return 'The specified from_number cannot send now (cooling down, at its daily cap, or excluded for this retry)';
    case 'all_unhealthy':
      return 'All numbers in the pool are unhealthy and skip_unhealthy is on: refusing to send from an unhealthy number';
    case 'all_misconfigured':
      return "Every number of the pool that could take this message was refused by the carrier as a sender (not owned, not SMS-capable or not a valid 'From'): fix them, or add numbers that can send";
    case 'daily_cap_reached':
      return 'Every eligible number has reached its daily cap of new recipients; try again tomorrow';
    case 'no_eligible_numbers':
      return 'No eligible number: every number is excluded for this attempt or its kind has weight 0';
    default:
      return assertNever(code, 'selection error code');
  }
}

export function selectionError(contactId: string, code: SelectionErrorCode): SelectionError {
  return { ok: false, contactId, code, message: selectionErrorMessage(code) };
}
