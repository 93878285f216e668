import type { Migration } from 'kysely';
import * as initialSchema from './2026_11_24_0001_initial_schema.ts';
import * as senderSelection from './2026_11_24_0400_sender_selection.ts';
import * as replies from './2026_11_24_0700_replies.ts';
import * as drip from './2026_11_24_0800_drip.ts';
import * as memberPartitions from './2026_11_24_0900_audience_member_partitions.ts';
import * as phoneCollation from './2026_11_24_0910_contact_phone_collation.ts';
import * as importMembers from './2026_11_24_0920_contact_import_members.ts';
import * as exactlyOnce from './2026_11_29_0100_exactly_once.ts';
import * as carrierAbsence from './2026_11_29_0200_carrier_absence.ts';
import * as waitingReasons from './2026_11_29_0300_waiting_reasons.ts';
import * as campaignStates from './2026_11_29_0310_campaign_states.ts';
import * as threadMessages from './2026_11_29_0320_thread_messages.ts';
import * as maxSegments from './2026_11_29_0340_max_segments.ts';
import * as memberAttributes from './2026_11_29_0350_audience_member_attributes.ts';
import * as consentEvents from './2026_12_05_0100_consent_events.ts';
import * as messageWaitDetail from './2026_12_05_0300_message_wait_detail.ts';
import * as suppressionLists from './2026_12_05_0400_suppression_lists.ts';
import * as inbox from './2026_12_05_0500_inbox.ts';
import * as agentAnswers from './2026_12_05_0510_agent_answers.ts';
import * as campaignHandoff from './2026_12_05_0520_campaign_handoff.ts';
import * as webhookEndpoints from './2026_12_05_0600_webhook_endpoints.ts';
import * as idempotencyKeys from './2026_12_06_0001_idempotency_keys.ts';
import * as operations from './2026_12_06_0100_operations.ts';
import * as oneOffMessages from './2026_12_06_0200_one_off_messages.ts';
import * as campaignTargeting from './2026_12_06_0300_campaign_targeting.ts';
import * as apiKeys from './2026_12_07_0400_api_keys.ts';
import * as messagesBySender from './2026_12_07_0600_messages_by_sender.ts';

/** Every migration, by name; names sort in the order they apply. Add new ones at the end. */
export const migrations: Record<string, Migration> = {
  '2026_11_24_0001_initial_schema': initialSchema,
  '2026_11_24_0400_sender_selection': senderSelection,
  '2026_11_24_0700_replies': replies,
  '2026_11_24_0800_drip': drip,
  '2026_11_24_0900_audience_member_partitions': memberPartitions,
  '2026_11_24_0910_contact_phone_collation': phoneCollation,
  '2026_11_24_0920_contact_import_members': importMembers,
  '2026_11_29_0100_exactly_once': exactlyOnce,
  '2026_11_29_0200_carrier_absence': carrierAbsence,
  '2026_11_29_0300_waiting_reasons': waitingReasons,
  '2026_11_29_0310_campaign_states': campaignStates,
  '2026_11_29_0320_thread_messages': threadMessages,
  '2026_11_29_0340_max_segments': maxSegments,
  '2026_11_29_0350_audience_member_attributes': memberAttributes,
  '2026_12_05_0100_consent_events': consentEvents,
  '2026_12_05_0300_message_wait_detail': messageWaitDetail,
  '2026_12_05_0400_suppression_lists': suppressionLists,
  '2026_12_05_0500_inbox': inbox,
  '2026_12_05_0510_agent_answers': agentAnswers,
  '2026_12_05_0520_campaign_handoff': campaignHandoff,
  '2026_12_05_0600_webhook_endpoints': webhookEndpoints,
  '2026_12_06_0001_idempotency_keys': idempotencyKeys,
  '2026_12_06_0100_operations': operations,
  '2026_12_06_0200_one_off_messages': oneOffMessages,
  '2026_12_06_0300_campaign_targeting': campaignTargeting,
  '2026_12_07_0400_api_keys': apiKeys,
  '2026_12_07_0600_messages_by_sender': messagesBySender,
};
