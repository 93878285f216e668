import { fromTwilioStatus, isTwilioStatus, type MessageStatus } from '../core/message-status.ts';
import { ApiError } from './errors.ts';

/**
 * A verified Twilio status callback's fields: its sid, the stored status (null for a status
 * tandem does not store, e.g. `receiving`) and the error code. 400 when a field is missing or
 * the status is not one of Twilio's.
 */
export function readTwilioStatusForm(form: Readonly<Record<string, string | undefined>>): {
  sid: string;
  status: MessageStatus | null;
  errorCode: number | null;
} {
  const sid = form.MessageSid ?? form.SmsSid;
  const raw = form.MessageStatus ?? form.SmsStatus;
  if (sid === undefined || raw === undefined) {
    throw new ApiError(400, 'invalid_callback', 'MessageSid and MessageStatus are required');
  }
  if (!isTwilioStatus(raw)) {
    throw new ApiError(400, 'invalid_callback', `Unknown MessageStatus ${raw}`);
  }
  const code = form.ErrorCode === undefined || form.ErrorCode === '' ? NaN : Number(form.ErrorCode);
  return { sid, status: fromTwilioStatus(raw), errorCode: Number.isInteger(code) ? code : null };
}
