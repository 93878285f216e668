import { API_KEY_EXAMPLES } from './api-keys.ts';
import { ACTIVITY_EXAMPLES } from './activity.ts';
import { AUDIENCE_EXAMPLES } from './audiences.ts';
import { CAMPAIGN_DRAFT_EXAMPLES } from './campaign-drafts.ts';
import { CAMPAIGN_LIST_EXAMPLES } from './campaign-list.ts';
import { CAMPAIGN_EXAMPLES } from './campaigns.ts';
import { CHANGE_LOG_EXAMPLES } from './change-log.ts';
import { CONSENT_EXAMPLES } from './consent.ts';
import { CONTACT_EXAMPLES } from './contacts.ts';
import { CONVERSATION_EXAMPLES } from './conversations.ts';
import { MESSAGE_EXAMPLES } from './messages.ts';
import { POOL_NUMBER_EXAMPLES } from './pool-numbers.ts';
import { POOL_EXAMPLES } from './pools.ts';
import { SUPPRESSION_EXAMPLES } from './suppression.ts';
import type { OperationExamples } from './types.ts';
import { WEBHOOK_ENDPOINT_EXAMPLES } from './webhook-endpoints.ts';

/**
 * Examples for every documented operation, by `METHOD /path` as the OpenAPI document names it
 * (`{id}`, not `:id`): a request body and the answer of each success status. They are real
 * shapes (a test validates each against its operation's schemas), so a reader can copy them;
 * one story runs through them all (ids.ts), so the same pool, campaign and contact recur.
 */
export const OPERATION_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  ...POOL_EXAMPLES,
  ...POOL_NUMBER_EXAMPLES,
  ...AUDIENCE_EXAMPLES,
  ...SUPPRESSION_EXAMPLES,
  ...CAMPAIGN_EXAMPLES,
  ...CAMPAIGN_LIST_EXAMPLES,
  ...CAMPAIGN_DRAFT_EXAMPLES,
  ...CHANGE_LOG_EXAMPLES,
  ...CONTACT_EXAMPLES,
  ...CONSENT_EXAMPLES,
  ...CONVERSATION_EXAMPLES,
  ...MESSAGE_EXAMPLES,
  ...WEBHOOK_ENDPOINT_EXAMPLES,
  ...API_KEY_EXAMPLES,
  ...ACTIVITY_EXAMPLES,
};
