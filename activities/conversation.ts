import { ApplicationFailure, log } from '@temporalio/activity';
import { classifyFailure } from '../core/carrier-errors.ts';
import { renderFollowup } from '../core/followup-text.ts';
import {
  markOutboundAccepted,
  markOutboundFailed,
  reserveOutbound,
} from '../db/conversation-messages.ts';
import {
  claimHandoff,
  closeHandoff,
  completeHandoff,
  conversationNumber,
  setHandoffNumber,
  upsertConversation,
} from '../db/conversations.ts';
import { memberAttributes } from '../db/audience-members.ts';
import type { HandoffPlan, InterestEvent, SendOutcome } from '../core/conversation-contracts.ts';
import {
  conversationIdempotencyKey,
  conversationWorkflowId,
} from '../core/conversation-contracts.ts';
import type { BlooioSendResult } from './carriers/blooio.ts';
import type { ActivityDeps } from './deps.ts';
import { reserveLine } from './conversation-line.ts';
import { sendTextUsSms } from './text-us.ts';

type SendablePlan = Extract<HandoffPlan, { kind: 'imessage' | 'text_us' }>;

/** Blooio's answer to a follow-up as the workflow's retry policy understands it. */
export function blooioFailure(
  result: Exclude<BlooioSendResult, { kind: 'accepted' | 'duplicate' }>,
) {
  const { class: errorClass, reason } = classifyFailure({
    kind: 'http',
    provider: 'blooio',
    status: result.status,
  });
  const message = `Blooio ${result.status}: ${result.error} (${reason})`;
  if (errorClass === 'transient') {
    return ApplicationFailure.create({ type: 'BlooioUnavailable', message, nonRetryable: false });
  }
  const type = result.kind === 'unauthorized' ? 'BlooioUnauthorized' : 'BlooioRejected';
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

export function createConversationActivities(deps: ActivityDeps) {
  const { db, config, clock } = deps;

  const optedOut = async (contactId: string): Promise<boolean> => {
    const row = await db
      .selectFrom('contacts')
      .select('opted_out_at')
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow();
    return row.opted_out_at !== null;
  };

  return {
    /** Picks the contact's sticky Blooio number and the hand-off's step; idempotent. */
    async prepareHandoff(input: InterestEvent & { contactId: string }): Promise<HandoffPlan> {
      const contact = await db
        .selectFrom('contacts')
        .select(['phone', 'opted_out_at', 'area_code', 'region'])
        .where('id', '=', input.contactId)
        .executeTakeFirstOrThrow();
      if (contact.opted_out_at !== null) return { kind: 'skip', reason: 'opted_out' };
      const campaign = await db
        .selectFrom('campaigns')
        .select(['followup_pool_id', 'audience_id', 'handoff_mode', 'followup_text'])
        .select('text_us_text')
        .where('id', '=', input.campaignId)
        .executeTakeFirstOrThrow();
      if (campaign.followup_pool_id === null) return { kind: 'skip', reason: 'no_followup_pool' };
      const conversation = await upsertConversation(db, {
        contactId: input.contactId,
        campaignId: input.campaignId,
        poolId: campaign.followup_pool_id,
        workflowId: conversationWorkflowId(input.contactId, config.WORKFLOW_ID_SCOPE),
      });
      const mode = campaign.handoff_mode ?? config.HANDOFF_MODE;
      const handoff = await claimHandoff(db, {
        conversationId: conversation.id,
        campaignId: input.campaignId,
        mode,
      });
      if (handoff.status === 'sent') return { kind: 'skip', reason: 'already_handed_off' };
      const ids = { id: handoff.id, conversationId: conversation.id };
      let grant: Awaited<ReturnType<typeof reserveLine>>;
      try {
        grant = await reserveLine(deps, campaign.followup_pool_id, {
          id: input.contactId,
          ...contact,
        });
      } catch (error) {
        await closeHandoff(db, handoff.id, 'failed', (error as Error).message);
        throw error;
      }
      await setHandoffNumber(db, ids, grant.numberId);
      const template =
        handoff.mode === 'text_us'
          ? (campaign.text_us_text ?? config.TEXT_US_TEXT)
          : (campaign.followup_text ?? config.FOLLOWUP_TEXT);
      const attributes = await memberAttributes(db, campaign.audience_id, input.contactId);
      return {
        kind: handoff.mode,
        handoffId: handoff.id,
        conversationId: conversation.id,
        step: handoff.step,
        to: contact.phone,
        blooioNumber: grant.phone,
        replyTo: input.replyTo,
        text: renderFollowup(template, attributes, grant.phone),
        idempotencyKey: conversationIdempotencyKey(conversation.id, handoff.step),
        sendAt: grant.sendAt.toISOString(),
      };
    },

    /** Writes first from the sticky Blooio number; 503 is retried by the workflow's policy. */
    async sendFollowup(plan: SendablePlan): Promise<SendOutcome> {
      if (await optedOut(await contactOf(plan.conversationId))) {
        await closeHandoff(db, plan.handoffId, 'skipped', 'opted_out');
        return { kind: 'skipped', reason: 'opted_out' };
      }
      const outbound = await reserveOutbound(db, {
        conversationId: plan.conversationId,
        channel: 'imessage',
        idempotencyKey: plan.idempotencyKey,
        from: plan.blooioNumber,
        to: plan.to,
        body: plan.text,
      });
      const wait = Date.parse(plan.sendAt) - clock().getTime();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 10_000)));
      const result = await deps.blooio.sendMessage({
        chatId: plan.to,
        text: plan.text,
        fromNumber: plan.blooioNumber,
        idempotencyKey: plan.idempotencyKey,
        metadata: { conversation_id: plan.conversationId, step: plan.step },
      });
      if (result.kind !== 'accepted' && result.kind !== 'duplicate') {
        const failure = blooioFailure(result);
        if (failure.nonRetryable) await markOutboundFailed(db, outbound.id, failure.message);
        throw failure;
      }
      const sid = result.messageIds[0] ?? outbound.provider_sid ?? plan.idempotencyKey;
      await markOutboundAccepted(db, outbound.id, {
        sid,
        from: result.fromNumber ?? plan.blooioNumber,
        protocol: result.protocol ?? null,
        status: 'queued',
      });
      await completeHandoff(
        db,
        { id: plan.handoffId, conversationId: plan.conversationId },
        clock(),
      );
      log.info('handed off', { conversationId: plan.conversationId, step: plan.step, sid });
      return { kind: 'sent', messageId: sid };
    },

    /** The documents' second mode: answer by SMS "text us at <Blooio number>". */
    async sendTextUs(plan: SendablePlan): Promise<SendOutcome> {
      if (await optedOut(await contactOf(plan.conversationId))) {
        await closeHandoff(db, plan.handoffId, 'skipped', 'opted_out');
        return { kind: 'skipped', reason: 'opted_out' };
      }
      const sid = await sendTextUsSms(deps, plan);
      await completeHandoff(
        db,
        { id: plan.handoffId, conversationId: plan.conversationId },
        clock(),
      );
      return { kind: 'sent', messageId: sid };
    },

    async markHandoffFailed(input: { handoffId: string; error: string }): Promise<void> {
      await closeHandoff(db, input.handoffId, 'failed', input.error);
    },

    /** One confirmation, over iMessage, of an opt-out received over iMessage. */
    async confirmOptOut(input: { contactId: string; inboundMessageId: string }): Promise<void> {
      const conversation = await conversationNumber(db, input.contactId);
      const contact = await db
        .selectFrom('contacts')
        .select('phone')
        .where('id', '=', input.contactId)
        .executeTakeFirstOrThrow();
      if (conversation === undefined || conversation.phone === null) return;
      const key = conversationIdempotencyKey(
        conversation.conversationId,
        `optout-${input.inboundMessageId}`,
      );
      const outbound = await reserveOutbound(db, {
        conversationId: conversation.conversationId,
        channel: 'imessage',
        idempotencyKey: key,
        from: conversation.phone,
        to: contact.phone,
        body: config.OPT_OUT_CONFIRMATION,
      });
      const result = await deps.blooio.sendMessage({
        chatId: contact.phone,
        text: config.OPT_OUT_CONFIRMATION,
        fromNumber: conversation.phone,
        idempotencyKey: key,
      });
      if (result.kind !== 'accepted' && result.kind !== 'duplicate') throw blooioFailure(result);
      await markOutboundAccepted(db, outbound.id, {
        sid: result.messageIds[0] ?? key,
        from: result.fromNumber ?? conversation.phone,
        protocol: result.protocol ?? null,
        status: 'queued',
      });
    },
  };

  async function contactOf(conversationId: string): Promise<string> {
    const row = await db
      .selectFrom('conversations')
      .select('contact_id')
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    return row.contact_id;
  }
}
