import { AGENT, AT, CAMPAIGN_ID, IMESSAGE_LINES, MAYA, SENDERS, SID } from './ids.ts';
import type { OperationExamples } from './types.ts';

const LINE = IMESSAGE_LINES[0].phone;
const SMS_FROM = SENDERS[0].phone;
const FOLLOWUP = 'Thanks Maya! Dana from Acme here: this is my line, ask me anything.';
const ANSWER = 'Hi Maya, the 20% applies to the pro plan too. Want me to hold one for you?';

/** Maya's thread: the campaign text, her YES, the iMessage follow-up, then the agent's answer. */
const message = {
  direction: 'outbound',
  kind: 'campaign',
  channel: 'sms',
  provider_sid: SID.toMaya,
  from: SMS_FROM,
  to: MAYA.phone,
  body: 'Hi Maya, our spring sale starts today: 20% off. Reply YES for details, STOP to opt out.',
  status: 'delivered',
  classification: null,
  protocol: 'sms',
  campaign_id: CAMPAIGN_ID,
  step: 0,
  error: null,
  handoff_skipped: null,
  author: null,
  at: AT.firstSent,
};
const thread = [
  message,
  {
    ...message,
    direction: 'inbound',
    kind: 'inbound',
    provider_sid: SID.mayaYes,
    from: MAYA.phone,
    to: SMS_FROM,
    body: 'YES',
    status: null,
    classification: 'interested',
    step: null,
    at: AT.mayaReplied,
  },
  {
    ...message,
    kind: 'conversation',
    channel: 'imessage',
    provider_sid: SID.followup,
    from: LINE,
    body: FOLLOWUP,
    protocol: 'imessage',
    campaign_id: null,
    step: null,
    at: AT.handedOff,
  },
  {
    ...message,
    kind: 'conversation',
    channel: 'imessage',
    provider_sid: SID.agentAnswer,
    from: LINE,
    body: ANSWER,
    protocol: 'imessage',
    campaign_id: null,
    step: null,
    author: AGENT,
    at: AT.agentAnswered,
  },
];

/** What the inbox actions answer: the conversation's state after the action. */
const state = (changes: object = {}) => ({
  responses: {
    200: {
      contact_id: MAYA.id,
      state: 'open',
      assigned_to: AGENT,
      last_read_at: AT.agentRead,
      needs_reply: false,
      unread: 0,
      ...changes,
    },
  },
});

const answer = {
  id: '2',
  idempotency_key: '8f14e45f-ceea-467a-9af1-2c3b7d9e6a10',
  status: 'queued',
  blooio_message_id: SID.agentAnswer,
  from: LINE,
  to: MAYA.phone,
  text: ANSWER,
  media_urls: [],
  protocol: 'imessage',
  author: AGENT,
  error: null,
  created_at: AT.agentAnswered,
};

export const CONVERSATION_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  'GET /v1/conversations': {
    responses: {
      200: {
        conversations: [
          {
            id: '1',
            contact: {
              id: MAYA.id,
              phone: MAYA.phone,
              name: MAYA.first_name,
              opted_out: false,
              opted_out_at: null,
            },
            campaign_id: CAMPAIGN_ID,
            line: LINE,
            state: 'open',
            status: 'handed_off',
            assigned_to: null,
            needs_reply: true,
            unread: 1,
            last_message: {
              direction: 'outbound',
              channel: 'imessage',
              body: FOLLOWUP,
              author: null,
              at: AT.handedOff,
            },
            last_activity_at: AT.handedOff,
          },
        ],
        next_cursor: null,
      },
    },
  },
  'GET /v1/conversations/{contact}': {
    responses: {
      200: {
        contact: { id: MAYA.id, phone: MAYA.phone, opted_out_at: null },
        conversation: {
          workflow_id: `conversation-${MAYA.id}`,
          status: 'handed_off',
          campaign_id: CAMPAIGN_ID,
          number: LINE,
          handed_off_at: AT.handedOff,
          assigned_to: AGENT,
          closed_at: null,
          last_read_at: AT.agentRead,
          created_at: AT.mayaReplied,
        },
        handoffs: [
          {
            step: 1,
            campaign_id: CAMPAIGN_ID,
            mode: 'imessage',
            number: LINE,
            status: 'sent',
            error: null,
            handed_off_at: AT.handedOff,
          },
        ],
        messages: thread,
        handoff_skips: [],
        consent: [],
      },
    },
  },
  'POST /v1/conversations/{contact}/assign': {
    request: { agent: AGENT },
    ...state({ last_read_at: null, needs_reply: true, unread: 1 }),
  },
  'POST /v1/conversations/{contact}/read': state(),
  'POST /v1/conversations/{contact}/close': state({ state: 'closed' }),
  'POST /v1/conversations/{contact}/reopen': state(),
  'POST /v1/conversations/{contact}/messages': {
    request: { text: ANSWER, author: AGENT },
    responses: {
      201: { message: answer, replayed: false },
      200: { message: { ...answer, status: 'delivered' }, replayed: true },
    },
  },
};
