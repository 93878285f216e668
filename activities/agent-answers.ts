import { ApplicationFailure } from '@temporalio/activity';
import { classifyFailure } from '../core/carrier-errors.ts';
import {
  agentAnswerKey,
  agentAnswerProblem,
  conversationWorkflowId,
  IDEMPOTENCY_KEY_REUSED,
  type AgentAnswer,
  type AgentAnswerInput,
  type PreparedAnswerRef,
} from '../core/conversation-contracts.ts';
import { answerById, markAnswerStatus, presentAnswer, reserveAnswer } from '../db/agent-answers.ts';
import { markOutboundAccepted, markOutboundFailed } from '../db/conversation-messages.ts';
import { setConversationNumber, upsertConversation } from '../db/conversations.ts';
import type { BlooioSendResult } from './carriers/blooio.ts';
import { reserveLine } from './conversation-line.ts';
import type { ActivityDeps } from './deps.ts';

/** An answer stored and ready to go: the line it leaves from and who it goes to. */
export type PreparedAnswer = PreparedAnswerRef;

const refuse = (type: string, message: string, details: Record<string, unknown> = {}) =>
  ApplicationFailure.create({ type, message, nonRetryable: true, details: [details] });

/** Blooio's refusal of an answer: 503 and other passing trouble are retried, the rest not. */
function answerFailure(result: Exclude<BlooioSendResult, { kind: 'accepted' | 'duplicate' }>) {
  const { class: errorClass } = classifyFailure({
    kind: 'http',
    provider: 'blooio',
    status: result.status,
  });
  const details = [{ status: result.status, error: result.error }];
  if (errorClass === 'transient')
    return ApplicationFailure.create({
      type: 'BlooioUnavailable',
      message: `Blooio ${result.status}: ${result.error}`,
      details,
    });
  return ApplicationFailure.create({
    type: 'BlooioRejected',
    message: result.error,
    nonRetryable: true,
    details,
  });
}

/**
 * Agents' answers in the inbox: each is stored once per Idempotency-Key before anything is
 * sent, leaves from the contact's sticky Blooio line (one is chosen from the follow-up pool
 * and kept when the contact has none) and carries the same key to Blooio, so no retry, replay
 * or restart ever sends it twice.
 */
export function createAgentAnswerActivities(deps: ActivityDeps) {
  const { db, config } = deps;

  const lineFor = async (contact: {
    id: string;
    phone: string;
    area_code: string | null;
    region: string | null;
  }) => {
    const conversation = await db
      .selectFrom('conversations as cv')
      .leftJoin('sender_numbers as n', 'n.id', 'cv.number_id')
      .leftJoin('campaigns as c', 'c.id', 'cv.campaign_id')
      .select(['cv.id', 'cv.campaign_id', 'cv.pool_id', 'n.phone', 'c.followup_pool_id'])
      .where('cv.contact_id', '=', contact.id)
      .executeTakeFirst();
    if (conversation?.phone != null)
      return { conversationId: conversation.id, line: conversation.phone };
    const latest = await db
      .selectFrom('messages as m')
      .innerJoin('campaigns as c', 'c.id', 'm.campaign_id')
      .select(['c.id', 'c.followup_pool_id'])
      .where('m.contact_id', '=', contact.id)
      .where('c.followup_pool_id', 'is not', null)
      .orderBy('m.id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const poolId =
      conversation?.pool_id ?? conversation?.followup_pool_id ?? latest?.followup_pool_id ?? null;
    if (poolId === null)
      throw refuse(
        'NoFollowupLine',
        `Contact ${contact.id} has no Blooio line, and no campaign of theirs has a follow-up pool to pick one from`,
      );
    const { id } = await upsertConversation(db, {
      contactId: contact.id,
      campaignId: conversation?.campaign_id ?? latest?.id ?? null,
      poolId,
      workflowId: conversationWorkflowId(contact.id, config.WORKFLOW_ID_SCOPE),
    });
    const line = await reserveLine(deps, poolId, contact);
    return { conversationId: id, line: await setConversationNumber(db, id, line.numberId) };
  };

  return {
    /** Checks and stores the answer (once per key); refuses an opted-out contact for good. */
    async prepareAgentAnswer(
      input: AgentAnswerInput & { contactId: string },
    ): Promise<PreparedAnswer> {
      const problem = agentAnswerProblem(input);
      if (problem !== null) throw refuse('InvalidAnswer', problem);
      const contact = await db
        .selectFrom('contacts')
        .select(['id', 'phone', 'opted_out_at', 'area_code', 'region'])
        .where('id', '=', input.contactId)
        .executeTakeFirstOrThrow();
      if (contact.opted_out_at !== null)
        throw refuse(
          'OptedOut',
          `Contact ${contact.id} opted out: no message may be sent to them`,
          {
            opted_out_at: contact.opted_out_at.toISOString(),
          },
        );
      const { conversationId, line } = await lineFor(contact);
      const reserved = await reserveAnswer(db, {
        conversationId,
        channel: 'imessage',
        idempotencyKey: agentAnswerKey(input.idempotencyKey),
        from: line,
        to: contact.phone,
        body: input.text,
        author: input.author,
        mediaUrls: input.mediaUrls,
      });
      if (reserved.kind === 'conflict')
        throw refuse('IdempotencyKeyReused', IDEMPOTENCY_KEY_REUSED);
      return {
        answer: presentAnswer(reserved.row, reserved.replayed),
        conversationId,
        line: reserved.row.from_phone ?? line,
        to: contact.phone,
      };
    },

    /** Sends a stored answer, or returns it as it is once Blooio has it or refused it. */
    async sendAgentAnswer(prepared: PreparedAnswer): Promise<AgentAnswer> {
      const { replayed } = prepared.answer;
      const row = await answerById(db, prepared.answer.id);
      if (row.provider_sid !== null || row.status === 'failed') return presentAnswer(row, replayed);
      const contact = await db
        .selectFrom('contacts')
        .select('opted_out_at')
        .innerJoin('conversations as cv', 'cv.contact_id', 'contacts.id')
        .where('cv.id', '=', prepared.conversationId)
        .executeTakeFirstOrThrow();
      if (contact.opted_out_at !== null) {
        await markOutboundFailed(db, row.id, 'opted_out');
        return presentAnswer(await answerById(db, row.id), replayed);
      }
      const result = await deps.blooio.sendMessage({
        chatId: prepared.to,
        text: row.body,
        fromNumber: prepared.line,
        idempotencyKey: row.idempotency_key,
        metadata: { conversation_id: prepared.conversationId, answer_id: row.id },
        ...(row.media_urls === null ? {} : { attachments: row.media_urls }),
      });
      if (result.kind !== 'accepted' && result.kind !== 'duplicate') {
        const failure = answerFailure(result);
        if (failure.nonRetryable) await markOutboundFailed(db, row.id, failure.message);
        throw failure;
      }
      await markOutboundAccepted(db, row.id, {
        sid: result.messageIds[0] ?? row.idempotency_key,
        from: result.fromNumber ?? prepared.line,
        protocol: result.protocol ?? null,
        status: 'queued',
      });
      return presentAnswer(await answerById(db, row.id), replayed);
    },

    /** Blooio had no number: the answer waits for the conversation's retries, and says so. */
    async markAgentAnswerRetrying(input: { id: string }): Promise<void> {
      await markAnswerStatus(db, input.id, 'retrying');
    },

    async markAgentAnswerFailed(input: { id: string; error: string }): Promise<void> {
      await markOutboundFailed(db, input.id, input.error);
    },
  };
}
