import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Config } from '../config/env.ts';
import {
  conversationWorkflowId,
  type AgentAnswer,
  type AgentAnswerInput,
  type ConversationEvent,
  type InterestEvent,
} from '../core/conversation-contracts.ts';
import {
  agentAnswerUpdate,
  conversationEventSignal,
  interestedSignal,
  type ConversationWorkflow,
  type ConversationWorkflowInput,
} from '../workflows/conversation.ts';

type Settings = Pick<
  Config,
  | 'TEMPORAL_TASK_QUEUE'
  | 'CONVERSATION_IDLE_SECONDS'
  | 'BLOOIO_RETRY_INITIAL_SECONDS'
  | 'BLOOIO_RETRY_MAX_ATTEMPTS'
  | 'WORKFLOW_ID_SCOPE'
  | 'STATUS_TIMEOUT_SECONDS'
>;

function input(config: Settings, contactId: string): ConversationWorkflowInput {
  return {
    contactId,
    idleSeconds: config.CONVERSATION_IDLE_SECONDS,
    retry: {
      initialSeconds: config.BLOOIO_RETRY_INITIAL_SECONDS,
      maximumAttempts: config.BLOOIO_RETRY_MAX_ATTEMPTS,
    },
    statusTimeoutSeconds: config.STATUS_TIMEOUT_SECONDS,
  };
}

/** Starts the contact's conversation or signals the running one: a burst never starts two. */
export async function signalInterest(
  temporal: Client,
  config: Settings,
  contactId: string,
  event: InterestEvent,
): Promise<void> {
  await temporal.workflow.signalWithStart<typeof ConversationWorkflow, [InterestEvent]>(
    'ConversationWorkflow',
    {
      workflowId: conversationWorkflowId(contactId, config.WORKFLOW_ID_SCOPE),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [input(config, contactId)],
      signal: interestedSignal,
      signalArgs: [event],
    },
  );
}

/**
 * Passes a message the contact wrote over Blooio to their conversation, starting it if none
 * runs (someone who texted the number from a "text us at" reply).
 */
export async function signalConversationEvent(
  temporal: Client,
  config: Settings,
  contactId: string,
  event: Extract<ConversationEvent, { kind: 'received' }>,
): Promise<void> {
  await temporal.workflow.signalWithStart<typeof ConversationWorkflow, [ConversationEvent]>(
    'ConversationWorkflow',
    {
      workflowId: conversationWorkflowId(contactId, config.WORKFLOW_ID_SCOPE),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [input(config, contactId)],
      signal: conversationEventSignal,
      signalArgs: [event],
    },
  );
}

/**
 * Sends an agent's answer through the contact's conversation, starting it if none runs. The
 * Update's id is the Idempotency-Key: a repeat while the run lives gets the first result; the
 * stored message's key covers every other repeat.
 */
export async function sendAnswer(
  temporal: Client,
  config: Settings,
  contactId: string,
  answer: AgentAnswerInput,
): Promise<AgentAnswer> {
  return temporal.workflow.executeUpdateWithStart(agentAnswerUpdate, {
    args: [answer],
    updateId: `answer-${answer.idempotencyKey}`,
    startWorkflowOperation: new WithStartWorkflowOperation<typeof ConversationWorkflow>(
      'ConversationWorkflow',
      {
        workflowId: conversationWorkflowId(contactId, config.WORKFLOW_ID_SCOPE),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [input(config, contactId)],
        workflowIdConflictPolicy: 'USE_EXISTING',
      },
    ),
  });
}
