import { WorkflowNotFoundError } from '@temporalio/client';
import { signBlooioWebhook } from '../../core/blooio-signature.ts';
import { conversationWorkflowId } from '../../core/conversation-contracts.ts';
import type { Db } from '../../db/connect.ts';
import { signedForm } from '../../sandbox/twilio/signature.ts';
import { conversationStateQuery } from '../../workflows/conversation.ts';
import type { TestApi } from '../support/api.ts';
import { waitFor } from '../support/campaigns.ts';

/** Shared by the replies tests: signed webhooks as the carriers send them, and seeded rows. */

let counter = 0;
export const nextSid = (prefix = 'SM') =>
  `${prefix}${Date.now().toString(16)}${(counter++).toString(16).padStart(8, '0')}`;

export function twilioInbound(
  api: TestApi,
  message: { from: string; to: string; body: string; sid?: string },
  options: { forge?: 'unsigned' | 'wrong' } = {},
) {
  const url = `${api.config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`;
  const sid = message.sid ?? nextSid();
  const params = {
    MessageSid: sid,
    SmsSid: sid,
    From: message.from,
    To: message.to,
    Body: message.body,
    NumMedia: '0',
  };
  const signed = signedForm(
    options.forge === 'wrong' ? 'not-the-token' : api.config.TWILIO_AUTH_TOKEN,
    url,
    params,
  );
  const headers: Record<string, string> = { ...signed.headers };
  if (options.forge === 'unsigned') delete headers['X-Twilio-Signature'];
  return api.app.inject({
    method: 'POST',
    url: '/webhooks/twilio/inbound',
    headers,
    payload: signed.body,
  });
}

export function blooioWebhook(
  api: TestApi,
  event: Record<string, unknown>,
  options: { forge?: 'unsigned' | 'wrong' | 'stale' } = {},
) {
  const body = JSON.stringify(event);
  const secret = options.forge === 'wrong' ? 'not-the-secret' : api.config.BLOOIO_WEBHOOK_SECRET;
  const at = Math.floor(Date.now() / 1000) - (options.forge === 'stale' ? 3600 : 0);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.forge !== 'unsigned')
    headers['x-blooio-signature'] = signBlooioWebhook(secret, body, at);
  return api.app.inject({ method: 'POST', url: '/webhooks/blooio', headers, payload: body });
}

export async function seedCampaign(
  db: Db,
  input: {
    audienceId: string;
    smsPoolId: string;
    followupPoolId?: string | null;
    helpText?: string | null;
  },
): Promise<string> {
  const campaign = await db
    .insertInto('campaigns')
    .values({
      name: 'seeded',
      audience_id: input.audienceId,
      sms_pool_id: input.smsPoolId,
      followup_pool_id: input.followupPoolId ?? null,
      quiet_hours: JSON.stringify({ start: '00:00', end: '24:00' }),
      retry_policy: JSON.stringify({ max_attempts: 3, backoff_seconds: 1 }),
      help_text: input.helpText ?? null,
      interested_keywords: ['YES'],
      workflow_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('campaign_steps')
    .values({ campaign_id: campaign.id, step: 0, template: 'Hi, reply YES' })
    .execute();
  return campaign.id;
}

/** A broadcast message as the send pipeline leaves it: sent to the contact from `from` at `sentAt`. */
export async function seedSent(
  db: Db,
  row: {
    campaignId: string;
    contactId: string;
    to: string;
    from: string;
    status?: 'delivered' | 'pending';
    /** When the text reached the carrier (now by default; none for a pending row). */
    sentAt?: Date;
  },
): Promise<void> {
  await db
    .insertInto('messages')
    .values({
      campaign_id: row.campaignId,
      step: 0,
      contact_id: row.contactId,
      to_phone: row.to,
      from_phone: row.status === 'pending' ? null : row.from,
      body: row.status === 'pending' ? null : 'Hi, reply YES',
      status: row.status ?? 'delivered',
      provider_sid: row.status === 'pending' ? null : nextSid(),
      sent_at: row.status === 'pending' ? null : (row.sentAt ?? new Date()),
    })
    .execute();
}

/** A queued iMessage follow-up in a conversation, as the conversation workflow leaves it. */
export async function seedFollowUp(
  db: Db,
  row: { contactId: string; campaignId: string; to: string; sid: string },
): Promise<void> {
  const conversation = await db
    .insertInto('conversations')
    .values({
      contact_id: row.contactId,
      workflow_id: `conversation-${row.sid}`,
      campaign_id: row.campaignId,
    })
    // A reply may have made the conversation already (the inbox keeps one per replier).
    .onConflict((conflict) =>
      conflict.column('contact_id').doUpdateSet({
        workflow_id: `conversation-${row.sid}`,
        campaign_id: row.campaignId,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('conversation_messages')
    .values({
      conversation_id: conversation.id,
      channel: 'imessage',
      idempotency_key: `k-${row.sid}`,
      provider_sid: row.sid,
      to_phone: row.to,
      body: 'Hi',
      status: 'queued',
    })
    .execute();
}

export async function contactIds(db: Db, phones: readonly string[]): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('contacts')
    .select(['id', 'phone'])
    .where('phone', 'in', [...phones])
    .execute();
  return new Map(rows.map((row) => [row.phone, row.id]));
}

export const conversation = (api: TestApi, contactId: string) =>
  api.temporal.workflow.getHandle(conversationWorkflowId(contactId, api.config.WORKFLOW_ID_SCOPE));

/** The activities the contact's conversation runs or retries now (none if it never started). */
export async function conversationActivities(api: TestApi, contactId: string) {
  try {
    return (await conversation(api, contactId).describe()).raw.pendingActivities ?? [];
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return [];
    throw error;
  }
}

/**
 * Resolves once the contact's conversation has taken in every signal sent to it (a query sees
 * all of them), has nothing queued and runs no activity: no follow-up of it is still on its way.
 * Call it after the webhooks were answered: the API signals before it answers.
 */
export function settledConversation(api: TestApi, contactId: string) {
  return waitFor(`the conversation of contact ${contactId} to settle`, async () => {
    const state = await conversation(api, contactId).query(conversationStateQuery);
    const running = await conversationActivities(api, contactId);
    return state.queued.length === 0 && running.length === 0 ? state : undefined;
  });
}
