/**
 * The conversation's contracts, shared by its workflow, its activities and the webhooks: ids,
 * signals' payloads and outcomes, serialisable. Pure, so workflow code may import it and
 * activities need not import workflow code.
 */

/** One conversation workflow per contact, started or signalled with signal-with-start. */
export const conversationWorkflowId = (contactId: string, scope = '') =>
  scope === '' ? `conversation-${contactId}` : `conversation-${scope}-${contactId}`;

export interface InterestEvent {
  campaignId: string;
  inboundMessageId: string;
  /** The SMS number the contact answered (the sender of a "text us at" reply). */
  replyTo: string;
}

export type ConversationEvent =
  | {
      kind: 'received';
      inboundMessageId: string;
      classification: string;
      protocol: string | null;
      /** An opt-out over iMessage that tandem confirms once on that channel. */
      confirmOptOut: boolean;
    }
  | { kind: 'status'; messageId: string; status: string; protocol: string | null };

export interface ConversationRetry {
  initialSeconds: number;
  maximumAttempts: number;
}

export type HandoffPlan =
  | { kind: 'skip'; reason: string }
  | {
      kind: 'imessage' | 'text_us';
      handoffId: string;
      conversationId: string;
      step: number;
      to: string;
      /** The Blooio number the conversation continues on. */
      blooioNumber: string;
      /** For `text_us`: the SMS number the contact answered. */
      replyTo: string;
      text: string;
      idempotencyKey: string;
      sendAt: string;
    };

export type SendOutcome = { kind: 'sent'; messageId: string } | { kind: 'skipped'; reason: string };

export interface ConversationState {
  contactId: string;
  handedOff: string[];
  failed: { campaignId: string; error: string }[];
  skipped: { campaignId: string; reason: string }[];
  queued: InterestEvent[];
  events: number;
  lastEvent: ConversationEvent | null;
  /** Inbound opt-outs over iMessage still to confirm. */
  confirmations: string[];
}

export const conversationIdempotencyKey = (conversationId: string, step: number | string) =>
  `tandem-conversation-${conversationId}-step-${step}`;
