import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.ts';
import type {
  ConversationEvent,
  ConversationRetry,
  ConversationState,
  HandoffPlan,
  InterestEvent,
} from '../core/conversation-contracts.ts';

export interface ConversationWorkflowInput {
  contactId: string;
  /** With nothing to do for this long the workflow completes; a new reply starts it again. */
  idleSeconds: number;
  /** Back-off for follow-up sends the carrier refuses for now (Blooio 503). */
  retry: ConversationRetry;
  carried?: ConversationState;
}

export const interestedSignal = defineSignal<[InterestEvent]>('interested');
export const conversationEventSignal = defineSignal<[ConversationEvent]>('conversationEvent');
export const conversationStateQuery = defineQuery<ConversationState>('state');

type Activities = ReturnType<typeof createActivities>;

const { prepareHandoff, markHandoffFailed, confirmOptOut } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const NOT_RETRIED = ['BlooioRejected', 'BlooioUnauthorized', 'SmsRejected', 'NoFollowupNumber'];

/**
 * Hands an interested contact to their sticky Blooio number once per campaign, then follows the
 * conversation's Blooio events. Signals: `interested` (from the SMS webhook), `conversationEvent`
 * (Blooio `message.received` / `message.status`). Query: `state`.
 */
export async function ConversationWorkflow(
  input: ConversationWorkflowInput,
): Promise<ConversationState> {
  const state: ConversationState = input.carried ?? {
    contactId: input.contactId,
    handedOff: [],
    failed: [],
    skipped: [],
    queued: [],
    events: 0,
    lastEvent: null,
    confirmations: [],
  };
  const { confirmations } = state;
  const { sendFollowup, sendTextUs } = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: `${input.retry.initialSeconds} seconds`,
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      maximumAttempts: input.retry.maximumAttempts,
      nonRetryableErrorTypes: NOT_RETRIED,
    },
  });

  setHandler(interestedSignal, (event) => {
    // A burst of YES replies for one campaign is one hand-off.
    const seen = (id: string) => id === event.campaignId;
    if (state.handedOff.some(seen) || state.queued.some((q) => seen(q.campaignId))) return;
    state.queued.push(event);
  });
  setHandler(conversationEventSignal, (event) => {
    state.events += 1;
    state.lastEvent = event;
    if (event.kind === 'received' && event.confirmOptOut) {
      confirmations.push(event.inboundMessageId);
    }
  });
  setHandler(conversationStateQuery, () => state);

  const handOff = async (event: InterestEvent): Promise<void> => {
    const plan: HandoffPlan = await prepareHandoff({ contactId: input.contactId, ...event });
    if (plan.kind === 'skip') {
      state.skipped.push({ campaignId: event.campaignId, reason: plan.reason });
      return;
    }
    try {
      const sent = plan.kind === 'imessage' ? await sendFollowup(plan) : await sendTextUs(plan);
      if (sent.kind === 'sent') state.handedOff.push(event.campaignId);
      else state.skipped.push({ campaignId: event.campaignId, reason: sent.reason });
    } catch (error) {
      const message = failureMessage(error);
      log.warn('hand-off failed', { contactId: input.contactId, ...event, error: message });
      await markHandoffFailed({ handoffId: plan.handoffId, error: message });
      state.failed.push({ campaignId: event.campaignId, error: message });
    }
  };

  for (;;) {
    const busy = () => state.queued.length > 0 || confirmations.length > 0;
    if (!(await condition(busy, input.idleSeconds * 1000))) break;
    for (let next = state.queued[0]; next !== undefined; next = state.queued[0]) {
      await handOff(next);
      state.queued.shift();
    }
    for (let id = confirmations.shift(); id !== undefined; id = confirmations.shift()) {
      await confirmOptOut({ contactId: input.contactId, inboundMessageId: id });
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof ConversationWorkflow>({ ...input, carried: state });
    }
  }
  await condition(allHandlersFinished);
  // A reply that arrived as the idle timer fired is not dropped: carry it into a new run.
  if (state.queued.length > 0 || confirmations.length > 0) {
    return continueAsNew<typeof ConversationWorkflow>({ ...input, carried: state });
  }
  return state;
}

function failureMessage(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause !== undefined) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}
