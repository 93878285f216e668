import type { SandboxContext } from '../context.ts';
import type { TimedEvent } from '../scheduler.ts';
import type { MessageStatus, StoredMessage } from './message.ts';
import type { Outcome } from './outcome.ts';
import { signedForm } from './signature.ts';

interface Step {
  readonly at: number;
  readonly status: MessageStatus;
}

/** The stored-status timeline: sending, then sent and the final status (failed skips sent). */
function timeline(outcome: Outcome): Step[] {
  const end = Math.max(3, outcome.latencyMs);
  const sending = { at: Math.max(1, Math.round(end * 0.1)), status: 'sending' } as const;
  if (outcome.status === 'failed') return [sending, { at: end, status: 'failed' }];
  return [
    sending,
    { at: Math.round(end * 0.5), status: 'sent' },
    { at: end, status: outcome.status },
  ];
}

/**
 * Moves a message through its statuses on a timer and posts a signed status callback for each,
 * now and then duplicating the final one or delivering `sent` after the final status.
 */
export function runLifecycle(
  ctx: SandboxContext,
  message: StoredMessage,
  outcome: Outcome,
  statusCallback: string | undefined,
  onFinal: () => void,
): void {
  const steps = timeline(outcome);
  const end = steps[steps.length - 1]?.at ?? 0;
  const events: TimedEvent[] = [];
  for (const step of steps) {
    const final = step.status === outcome.status;
    events.push({
      at: step.at,
      run: () => {
        message.status = step.status;
        message.updatedAt = new Date();
        if (!final) return;
        message.errorCode = outcome.errorCode;
        message.errorMessage = outcome.errorMessage;
        onFinal();
      },
    });
    if (statusCallback === undefined) continue;
    const late = step.status === 'sent' && outcome.outOfOrder;
    const run = () => callback(ctx, message, step.status, outcome, statusCallback);
    events.push({ at: late ? end + 5 : step.at, run });
    if (final && outcome.duplicate) events.push({ at: end + 10, run });
  }
  ctx.scheduler.sequence(events);
}

function callback(
  ctx: SandboxContext,
  message: StoredMessage,
  status: MessageStatus,
  outcome: Outcome,
  url: string,
): void {
  const params: Record<string, string> = {
    AccountSid: message.accountSid,
    ApiVersion: '2010-04-01',
    From: message.from,
    MessageSid: message.sid,
    MessageStatus: status,
    SmsSid: message.sid,
    SmsStatus: status,
    To: message.to,
  };
  if ((status === 'failed' || status === 'undelivered') && outcome.errorCode !== null) {
    params.ErrorCode = String(outcome.errorCode);
  }
  ctx.webhooks.send(signedForm(ctx.settings.authToken, url, params));
}
