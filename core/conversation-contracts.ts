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
  /** No longer sent (statuses are applied in the database only); old histories hold them. */
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
  /** Agents' answers Blooio could not take yet (503), retried with back-off. */
  answers: PreparedAnswerRef[];
}

/** An answer waiting for a retry, as the workflow keeps it (the activity's `PreparedAnswer`). */
export interface PreparedAnswerRef {
  answer: AgentAnswer;
  conversationId: string;
  line: string;
  to: string;
}

export const conversationIdempotencyKey = (conversationId: string, step: number | string) =>
  `tandem-conversation-${conversationId}-step-${step}`;

/** An agent's answer in the inbox, as the API passes it to the conversation's Update. */
export interface AgentAnswerInput {
  text: string;
  mediaUrls: string[];
  /** The caller's Idempotency-Key (or one the API made): one key, one message, ever. */
  idempotencyKey: string;
  /** Who wrote it, when the caller says. */
  author: string | null;
}

/** The stored answer, as the Update and the API return it. */
export interface AgentAnswer {
  id: string;
  idempotencyKey: string;
  /** `sending` until Blooio accepts; `retrying` while Blooio has no number available. */
  status: string;
  /** Blooio's message id, once accepted. */
  providerSid: string | null;
  from: string | null;
  to: string;
  body: string;
  mediaUrls: string[];
  protocol: string | null;
  author: string | null;
  error: string | null;
  createdAt: string;
  /** True when the key had been used before: this is the first request's message. */
  replayed: boolean;
}

export const AGENT_TEXT_MAX = 4_000;
export const AGENT_MEDIA_MAX = 10;

/** Why an answer cannot be sent as given; null when it can. Shared by the API and the Update. */
export function agentAnswerProblem(input: AgentAnswerInput): string | null {
  if (input.text.trim() === '' && input.mediaUrls.length === 0)
    return 'text is empty and there are no media_urls';
  if (input.text.length > AGENT_TEXT_MAX) return `text is longer than ${AGENT_TEXT_MAX} characters`;
  if (input.mediaUrls.length > AGENT_MEDIA_MAX)
    return `at most ${AGENT_MEDIA_MAX} media_urls are allowed`;
  if (!input.mediaUrls.every((url) => /^https?:\/\/[^\s]+$/i.test(url)))
    return 'media_urls must be http(s) URLs';
  if (!/^[\x21-\x7e]{1,255}$/.test(input.idempotencyKey))
    return 'the Idempotency-Key must be 1–255 printable ASCII characters';
  return null;
}

export const IDEMPOTENCY_KEY_REUSED =
  'This Idempotency-Key was used for a different message; use a new key for a new message';

/** Whether a stored answer is the one asked for again (same text, same media). */
export function sameAnswer(
  stored: { body: string; media_urls: readonly string[] | null },
  asked: { text: string; mediaUrls: readonly string[] },
): boolean {
  return (
    stored.body === asked.text &&
    JSON.stringify(stored.media_urls ?? []) === JSON.stringify(asked.mediaUrls)
  );
}

/** The stored message's key for an agent answer: apart from tandem's own keys. */
export const agentAnswerKey = (idempotencyKey: string) => `agent-${idempotencyKey}`;

/** The status callback path of a conversation's SMS: it names the stored message. */
export const conversationSmsStatusPath = (messageId: string) =>
  `/webhooks/twilio/conversation/${encodeURIComponent(messageId)}/status`;
