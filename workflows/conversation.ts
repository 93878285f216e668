import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.ts';
import { agentAnswerProblem } from '../core/conversation-contracts.ts';
import type {
  AgentAnswer,
  AgentAnswerInput,
  ConversationEvent,
  ConversationRetry,
  ConversationState,
  HandoffPlan,
  InterestEvent,
  PreparedAnswerRef,
} from '../core/conversation-contracts.ts';

export interface ConversationWorkflowInput {
  contactId: string;
  /** With nothing to do for this long the workflow completes; a new reply starts it again. */
  idleSeconds: number;
  /** Back-off for follow-up sends the carrier refuses for now (Blooio 503). */
  retry: ConversationRetry;
  /**
   * A Blooio message with no final status this long after its last news is asked about
   * (runs started before this field never ask).
   */
  statusTimeoutSeconds?: number;
  carried?: ConversationState;
}

export const interestedSignal = defineSignal<[InterestEvent]>('interested');
export const conversationEventSignal = defineSignal<[ConversationEvent]>('conversationEvent');
export const conversationStateQuery = defineQuery<ConversationState>('state');
/** An agent's answer from the inbox: validated before it is accepted, stored, then sent. */
export const agentAnswerUpdate = defineUpdate<AgentAnswer, [AgentAnswerInput]>('agentAnswer');

type Activities = ReturnType<typeof createActivities>;

const {
  prepareHandoff,
  markHandoffFailed,
  confirmOptOut,
  markAgentAnswerRetrying,
  markAgentAnswerFailed,
  checkBlooioStatuses,
} = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const NOT_RETRIED = ['BlooioRejected', 'BlooioUnauthorized', 'SmsRejected', 'NoFollowupNumber'];

const ANSWER_REFUSALS = [
  'InvalidAnswer',
  'OptedOut',
  'NoFollowupLine',
  'NoFollowupNumber',
  'IdempotencyKeyReused',
];
// The caller waits for these, so they run as local activities in the Update's own workflow
// task (no round trip through the server per step): a refusal is final, a database hiccup is
// retried briefly, and the send is tried once; Blooio's 503s are then retried by the
// conversation's ordinary activities, not while the caller waits.
const { prepareAgentAnswer } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    maximumAttempts: 4,
    nonRetryableErrorTypes: ANSWER_REFUSALS,
  },
});
const { sendAgentAnswer: sendAnswerOnce } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { maximumAttempts: 1 },
});

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
    answers: [],
  };
  // A run carried over from code before inbox answers has none.
  state.answers ??= [];
  const { confirmations, answers } = state;
  const { sendFollowup, sendTextUs, sendAgentAnswer } = proxyActivities<Activities>({
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
  setHandler(
    agentAnswerUpdate,
    async (answer) => {
      const prepared: PreparedAnswerRef = await prepareAgentAnswer({
        contactId: input.contactId,
        ...answer,
      }).catch(rethrowForCaller);
      if (prepared.answer.status !== 'sending') return prepared.answer;
      try {
        return await sendAnswerOnce(prepared);
      } catch (error) {
        // A refusal is final; anything else (Blooio 503, a timeout) is retried by the
        // conversation. A local activity's last failure may come unwrapped.
        const cause = error instanceof ActivityFailure ? error.cause : error;
        const type = cause instanceof ApplicationFailure ? cause.type : undefined;
        if (type === 'BlooioRejected' || ANSWER_REFUSALS.includes(type ?? ''))
          rethrowForCaller(error);
        answers.push(prepared);
        await markAgentAnswerRetrying({ id: prepared.answer.id });
        return { ...prepared.answer, status: 'retrying', error: failureMessage(error) };
      }
    },
    {
      validator: (answer) => {
        const problem = agentAnswerProblem(answer);
        if (problem !== null)
          throw ApplicationFailure.create({ type: 'InvalidAnswer', message: problem });
      },
    },
  );

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

  const statusTimeoutSeconds =
    input.statusTimeoutSeconds !== undefined && patched('blooio-status-checks')
      ? input.statusTimeoutSeconds
      : null;
  // While some Blooio status may be missing, the conversation wakes to ask for it.
  let nextCheckMs = statusTimeoutSeconds === null ? null : statusTimeoutSeconds * 1000;
  for (;;) {
    const busy = () => state.queued.length > 0 || confirmations.length > 0 || answers.length > 0;
    const idleMs = input.idleSeconds * 1000;
    const waitMs = nextCheckMs === null ? idleMs : Math.min(idleMs, nextCheckMs);
    if (!(await condition(busy, waitMs))) {
      if (nextCheckMs === null || statusTimeoutSeconds === null) break;
      const check = await checkBlooioStatuses({
        contactId: input.contactId,
        timeoutSeconds: statusTimeoutSeconds,
      });
      nextCheckMs = check.nextCheckInMs;
      continue;
    }
    for (let next = state.queued[0]; next !== undefined; next = state.queued[0]) {
      await handOff(next);
      state.queued.shift();
    }
    for (let id = confirmations.shift(); id !== undefined; id = confirmations.shift()) {
      await confirmOptOut({ contactId: input.contactId, inboundMessageId: id });
    }
    for (let next = answers[0]; next !== undefined; next = answers[0]) {
      try {
        await sendAgentAnswer(next);
      } catch (error) {
        await markAgentAnswerFailed({ id: next.answer.id, error: failureMessage(error) });
      }
      answers.shift();
    }
    if (statusTimeoutSeconds !== null) nextCheckMs = statusTimeoutSeconds * 1000;
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof ConversationWorkflow>({ ...input, carried: state });
    }
  }
  await condition(allHandlersFinished);
  // A reply that arrived as the idle timer fired is not dropped: carry it into a new run.
  if (state.queued.length > 0 || confirmations.length > 0 || answers.length > 0) {
    return continueAsNew<typeof ConversationWorkflow>({ ...input, carried: state });
  }
  return state;
}

/** An activity's refusal, as the Update's own failure: the caller sees its type and text. */
function rethrowForCaller(error: unknown): never {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure)
    throw ApplicationFailure.create({
      type: cause.type ?? 'AnswerFailed',
      message: cause.message,
      details: cause.details ? [...cause.details] : undefined,
      nonRetryable: true,
    });
  throw ApplicationFailure.create({ type: 'AnswerFailed', message: failureMessage(error) });
}

function failureMessage(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause !== undefined) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}
