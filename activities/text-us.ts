import { ApplicationFailure } from '@temporalio/activity';
import { reserveOutbound } from '../db/conversation-messages.ts';
import { markConversationSmsAccepted } from '../db/conversation-sms-status.ts';
import { fromTwilioStatus, isTwilioStatus } from '../core/message-status.ts';
import { conversationSmsStatusPath, type HandoffPlan } from '../core/conversation-contracts.ts';
import { SmsSendError } from './carriers/sms.ts';
import type { ActivityDeps } from './deps.ts';

type SendablePlan = Extract<HandoffPlan, { kind: 'imessage' | 'text_us' }>;

/**
 * Sends "text us at <Blooio number>" by SMS from the number the contact answered, exactly once:
 * the row keyed by the step's idempotency key remembers the carrier's sid, and a row left
 * without one is reconciled with the carrier before sending again.
 */
export async function sendTextUsSms(deps: ActivityDeps, plan: SendablePlan): Promise<string> {
  const { db, config } = deps;
  const outbound = await reserveOutbound(db, {
    conversationId: plan.conversationId,
    channel: 'sms',
    idempotencyKey: plan.idempotencyKey,
    from: plan.replyTo,
    to: plan.to,
    body: plan.text,
  });
  if (outbound.provider_sid !== null) return outbound.provider_sid;
  const since = new Date(outbound.created_at.getTime() - 60_000);
  const earlier = await deps.sms.findSent({ to: plan.to, from: plan.replyTo, since });
  const found = earlier.find((sent) => sent.body === plan.text);
  const sent =
    found ??
    (await deps.sms
      .send({
        to: plan.to,
        from: plan.replyTo,
        body: plan.text,
        // Its own callback: these SMS are conversation messages, not campaign rows.
        statusCallback: `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}${conversationSmsStatusPath(outbound.id)}`,
      })
      .catch((error: unknown) => {
        throw rejected(error);
      }));
  const status = isTwilioStatus(sent.status) ? fromTwilioStatus(sent.status) : null;
  await markConversationSmsAccepted(db, outbound.id, {
    sid: sent.sid,
    from: plan.replyTo,
    status: status ?? 'queued',
  });
  return sent.sid;
}

function rejected(error: unknown): unknown {
  if (!(error instanceof SmsSendError)) return error;
  const status = error.httpStatus ?? 0;
  if (status >= 500 || status === 429) return error;
  return ApplicationFailure.create({
    type: 'SmsRejected',
    message: error.message,
    nonRetryable: true,
    details: [{ code: error.code, status: error.httpStatus }],
  });
}
