import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ApiError } from './errors.ts';

/** Status and code for each refusal of an answer by the conversation, by failure type. */
const REFUSALS: Readonly<Record<string, { status: number; code: string }>> = {
  InvalidAnswer: { status: 400, code: 'invalid_request' },
  OptedOut: { status: 409, code: 'contact_opted_out' },
  NoFollowupLine: { status: 409, code: 'no_followup_line' },
  NoFollowupNumber: { status: 409, code: 'no_followup_line' },
  IdempotencyKeyReused: { status: 422, code: 'idempotency_key_reused' },
};

/**
 * The API error for an answer the conversation refused. Blooio's 403 (a line the key does not
 * own) is the caller's 403 with Blooio's own words; its other refusals are 422.
 */
export function answerRefusal(error: unknown): ApiError | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const known = REFUSALS[cause.type ?? ''];
  if (known !== undefined) return new ApiError(known.status, known.code, cause.message);
  if (cause.type === 'BlooioRejected') {
    const [details] = (cause.details ?? []) as { status?: number }[];
    return details?.status === 403
      ? new ApiError(403, 'line_forbidden', cause.message)
      : new ApiError(422, 'blooio_rejected', cause.message);
  }
  return new ApiError(502, 'answer_failed', cause.message);
}
