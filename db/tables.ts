import type { ApiKeyScope } from '../core/api-keys.ts';
import type { CampaignStatus } from '../core/campaign-status.ts';
import type { ConsentSource } from '../core/consent.ts';
import type { ContactFilter } from '../core/contact-filter.ts';
import type { DripCondition } from '../core/drip-condition.ts';
import type { FrequencyCap } from '../core/frequency-cap.ts';
import type { MessageStatus } from '../core/message-status.ts';
import type { NumberState } from '../core/sender-pool.ts';
import type { WaitReason } from '../core/wait-reason.ts';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
type Json<T> = ColumnType<T, T | string | undefined, T | string>;
export type BigId = ColumnType<string, never, never>;
export type BigRef = ColumnType<string, string | number | bigint, string | number | bigint>;
export type NullableBigRef = ColumnType<
  string | null,
  string | number | bigint | null | undefined,
  string | number | bigint | null
>;

export interface AudienceTable {
  id: Generated<string>;
  name: string;
  columns: ColumnType<string[], string[] | undefined, string[]>;
  rows_read: Generated<number>;
  imported: Generated<number>;
  duplicates: Generated<number>;
  rejected: Generated<number>;
  created_at: Timestamp;
}

export interface AudienceRejectionTable {
  audience_id: string;
  line: number;
  reason: string;
  value: string;
}

export interface ContactTable {
  id: BigId;
  phone: string;
  country: string;
  area_code: string | null;
  region: string | null;
  time_zone: string | null;
  attributes: Json<Record<string, string>>;
  opted_out_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AudienceMemberTable {
  audience_id: string;
  contact_id: BigRef;
  /** This audience's values for the contact; null: none of its own, the contact's apply. */
  attributes: ColumnType<
    Record<string, string> | null,
    Record<string, string> | string | null | undefined,
    Record<string, string> | string | null
  >;
}

export type ConsentAction = 'opt_out' | 'opt_in';
export type ConsentChannel = 'sms' | 'imessage' | 'all';
export type { ConsentSource };

/** One consent change of one contact: the record that proves what tandem was told, and when. */
export interface ConsentEventTable {
  id: BigId;
  contact_id: BigRef;
  action: ConsentAction;
  channel: ConsentChannel;
  source: ConsentSource;
  /** The opt-out or opt-in keyword recognised, for a keyword change. */
  keyword: string | null;
  /** The exact inbound text, carrier error or operator request that made the change. */
  detail: string | null;
  /** The operator's stated reason. */
  reason: string | null;
  campaign_id: string | null;
  /** The outbound message whose send or status made the change (a 21610). */
  message_id: NullableBigRef;
  inbound_message_id: NullableBigRef;
  /** The suppression list whose import made the change. */
  suppression_list_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

/** The list every campaign honours, whether or not it names it. */
export const GLOBAL_SUPPRESSION_LIST = 'global';

export interface SuppressionListTable {
  /** A UUID, or `global`. */
  id: string;
  name: string;
  created_at: Timestamp;
}

/** A number never to text for the campaigns that honour its list, by E.164 phone. */
export interface SuppressionEntryTable {
  list_id: string;
  phone: string;
  /** The line of the upload that listed it. */
  line: number | null;
  created_at: Timestamp;
}

export interface CampaignSuppressionListTable {
  campaign_id: string;
  list_id: string;
}

export type Provider = 'twilio' | 'blooio';
export type NumberKind = 'long_code' | 'toll_free' | 'short_code' | 'imessage';
export type { NumberState };

export interface PoolTable {
  id: Generated<string>;
  name: string;
  provider: Provider;
  sticky_sender: Generated<boolean>;
  geomatch: Generated<boolean>;
  skip_unhealthy: Generated<boolean>;
  long_code_weight: Generated<number>;
  toll_free_weight: Generated<number>;
  short_code_weight: Generated<number>;
  /** This pool's health thresholds; null: the process's HEALTH_* setting (db/health-settings.ts). */
  health_threshold: ColumnType<number | null, number | null | undefined, number | null>;
  health_min_samples: ColumnType<number | null, number | null | undefined, number | null>;
  health_cooldown_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  health_probation_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  health_probation_good: ColumnType<number | null, number | null | undefined, number | null>;
  health_probation_min_samples: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Timestamp;
}

export interface SenderNumberTable {
  id: BigId;
  pool_id: string;
  phone: string;
  kind: NumberKind;
  weight: Generated<number>;
  mps: number;
  /** Messages with media per second; null: the number's `mps`. */
  mms_mps: ColumnType<number | null, number | null | undefined, number | null>;
  daily_cap: number | null;
  area_code: string | null;
  region: string | null;
  state: Generated<NumberState>;
  state_changed_at: Timestamp;
  cooling_until: NullableTimestamp;
  next_slot_at: Timestamp;
  created_at: Timestamp;
}

export interface SenderStateChangeTable {
  id: BigId;
  number_id: BigRef;
  from_state: NumberState;
  to_state: NumberState;
  reason: string;
  /** The carrier's error code behind the change (a misconfigured sender's 21606, say). */
  error_code: ColumnType<number | null, number | null | undefined, number | null>;
  delivery_rate: number | null;
  samples: number | null;
  /** Who made the change (an API caller); null: tandem itself (health, carrier errors). */
  actor: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export type OperatorResource = 'campaign' | 'pool' | 'number' | 'audience';

/** One operator change (a PATCH, an archive, a deletion): what it changed, before and after. */
export interface OperatorChangeTable {
  id: BigId;
  resource_type: OperatorResource;
  resource_id: string;
  action: string;
  actor: string;
  /** Field name → { before, after } of the fields it changed. */
  changes: Json<Record<string, { before: unknown; after: unknown }>>;
  reason: string | null;
  created_at: Timestamp;
}

export interface StickySenderTable {
  pool_id: string;
  contact_id: BigRef;
  number_id: BigRef;
  assigned_at: Timestamp;
}

export type { CampaignStatus, FrequencyCap };

export interface QuietHours {
  start: string;
  end: string;
}

export interface RetryPolicy {
  max_attempts: number;
  backoff_seconds: number;
}

export interface DripSchedule {
  every_seconds?: number;
  cron?: string;
  time_zone: string;
}

export interface CampaignTable {
  id: Generated<string>;
  name: string;
  audience_id: string;
  sms_pool_id: string;
  followup_pool_id: string | null;
  quiet_hours: Json<QuietHours>;
  retry_policy: Json<RetryPolicy>;
  drip_schedule: ColumnType<DripSchedule, DripSchedule | string | undefined, DripSchedule | string>;
  help_text: string | null;
  interested_keywords: ColumnType<string[], string[] | undefined, string[]>;
  /** The campaign's hand-off settings; null: the process default. */
  handoff_mode: 'imessage' | 'text_us' | null;
  followup_text: string | null;
  text_us_text: string | null;
  /** The most segments one message may take; a longer render is skipped. */
  max_segments: Generated<number>;
  frequency_cap: ColumnType<FrequencyCap, FrequencyCap | string | undefined, FrequencyCap | string>;
  status: Generated<CampaignStatus>;
  /** When the broadcast starts (the workflow waits on a timer); null: at launch. */
  start_at: NullableTimestamp;
  /** Who of the audience is texted (core/contact-filter.ts); null: everyone. */
  filter: ColumnType<
    ContactFilter | null,
    ContactFilter | string | null | undefined,
    ContactFilter | string | null
  >;
  /** Contacts of these audiences are not texted. */
  exclude_audience_ids: ColumnType<string[], string[] | undefined, string[]>;
  workflow_id: string | null;
  created_at: Timestamp;
  launched_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  /** Set while archived: hidden from the campaign list unless asked for. */
  archived_at: NullableTimestamp;
}

export interface CampaignStepTable {
  campaign_id: string;
  step: number;
  template: string;
  delay_seconds: Generated<number>;
  condition: Generated<DripCondition>;
  condition_keyword: string | null;
  /** Media sent with the step's text (MMS), or null. */
  media_urls: MediaUrlsColumn;
}

type MediaUrlsColumn = ColumnType<string[] | null, string | null | undefined, string | null>;

export type { MessageStatus };

export interface MessageTable {
  id: BigId;
  /** Null for a one-off send through a pool (POST /v1/messages). */
  campaign_id: string | null;
  step: number;
  contact_id: BigRef;
  to_phone: string;
  from_number_id: NullableBigRef;
  from_phone: string | null;
  body: string | null;
  segments: number | null;
  status: Generated<MessageStatus>;
  provider_sid: string | null;
  error_code: number | null;
  skip_reason: string | null;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  /** Why a message with no carrier message yet waits until `next_attempt_at` (core/wait-reason.ts). */
  wait_reason: ColumnType<WaitReason | null, WaitReason | null | undefined, WaitReason | null>;
  /** Which holiday or ban a `legal_holiday` / `sunday_ban` wait is for; null otherwise. */
  wait_detail: ColumnType<string | null, string | null | undefined, string | null>;
  claim_token: string | null;
  carrier_absent_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  sent_at: NullableTimestamp;
  final_at: NullableTimestamp;
  /** A one-off's pool (null for a campaign's message, whose campaign names it). */
  pool_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** A one-off's retry policy (a campaign's message follows its campaign's). */
  retry_policy: ColumnType<RetryPolicy | null, string | null | undefined, string | null>;
  /** The `from_number` a one-off's caller required: every attempt leaves from it. */
  requested_from: ColumnType<string | null, string | null | undefined, string | null>;
  /** Why a one-off's sender was chosen (core/sender-reason.ts). */
  sender_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** The send slot reserved when a one-off was accepted, used by its first claim. */
  slot_at: NullableTimestamp;
  media_urls: MediaUrlsColumn;
}

export interface MessageAttemptTable {
  id: BigId;
  message_id: BigRef;
  attempt: number;
  from_number_id: NullableBigRef;
  provider_sid: string | null;
  status: string;
  error_code: number | null;
  created_at: Timestamp;
}

export interface MessageEventTable {
  id: BigId;
  provider: Provider;
  provider_sid: string;
  status: string;
  error_code: number | null;
  dedupe_key: string;
  payload: Json<Record<string, unknown>>;
  applied_at: NullableTimestamp;
  received_at: Timestamp;
}

export interface InboundMessageTable {
  id: BigId;
  provider: Provider;
  provider_sid: string;
  from_phone: string;
  to_phone: string;
  body: string;
  protocol: string | null;
  contact_id: NullableBigRef;
  campaign_id: string | null;
  classification: string | null;
  /** What tandem answered (TwiML `<Message>` or Blooio text), if anything. */
  reply: string | null;
  /** The carrier's message carrying `reply` (SMS), learnt from its status callbacks. */
  reply_sid: string | null;
  reply_status: MessageStatus | null;
  reply_error_code: number | null;
  reply_updated_at: NullableTimestamp;
  /** Why an interested reply was not handed off (e.g. `no_followup_pool`). */
  handoff_skipped: string | null;
  received_at: Timestamp;
}

export interface ConversationTable {
  id: BigId;
  contact_id: BigRef;
  campaign_id: string | null;
  pool_id: string | null;
  number_id: NullableBigRef;
  /** Null until the conversation is handed off (a reply alone makes a conversation). */
  workflow_id: string | null;
  status: Generated<string>;
  handed_off_at: NullableTimestamp;
  /** The agent it is assigned to, as the operator names them. */
  assigned_to: string | null;
  assigned_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  last_read_at: NullableTimestamp;
  /** Kept by triggers: the last message received, answered by a person, and of any kind. */
  last_inbound_at: NullableTimestamp;
  last_agent_at: NullableTimestamp;
  last_activity_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type HandoffMode = 'imessage' | 'text_us';
export type HandoffStatus = 'pending' | 'sent' | 'failed' | 'skipped';

export interface ConversationHandoffTable {
  id: BigId;
  conversation_id: BigRef;
  campaign_id: string | null;
  step: number;
  mode: HandoffMode;
  number_id: NullableBigRef;
  status: Generated<HandoffStatus>;
  error: string | null;
  created_at: Timestamp;
  handed_off_at: NullableTimestamp;
}

export interface ConversationMessageTable {
  id: BigId;
  conversation_id: BigRef;
  channel: 'imessage' | 'sms';
  idempotency_key: string;
  provider_sid: string | null;
  from_phone: string | null;
  to_phone: string;
  body: string;
  status: Generated<string>;
  protocol: string | null;
  error: string | null;
  /** The person who wrote it; null for tandem's own follow-ups and confirmations. */
  author: string | null;
  media_urls: ColumnType<string[] | null, string | null | undefined, string | null>;
  /** Times Blooio was asked for a status that never came by webhook. */
  status_checks: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failing' | 'given_up';

export interface WebhookEndpointTable {
  id: string;
  url: string;
  events: ColumnType<string[], string[], string[]>;
  description: string | null;
  secret: string;
  created_at: Timestamp;
  disabled_at: NullableTimestamp;
}

export interface WebhookEventTable {
  id: BigId;
  public_id: Generated<string>;
  type: string;
  /** Events of one key (a contact's phone, `campaign:<id>`, `number:<id>`) arrive in id order. */
  ordering_key: string;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface WebhookDeliveryTable {
  endpoint_id: string;
  event_id: BigRef;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Timestamp;
  last_attempt_at: NullableTimestamp;
  delivered_at: NullableTimestamp;
}

export interface IdempotencyKeyTable {
  /** Whose key it is: keys of different callers never meet. */
  principal: string;
  key: string;
  /** Method, route and a hash of the body: the same key with another request is refused. */
  fingerprint: string;
  claimed_at: Timestamp;
  completed_at: NullableTimestamp;
  status_code: number | null;
  content_type: string | null;
  body: string | null;
}

export interface ApiKeyTable {
  /** `key_` and random hex; the key itself is never stored, only its SHA-256. */
  id: string;
  name: string;
  scope: ApiKeyScope;
  key_hash: Buffer;
  /** The key's first characters, to tell keys apart in a list. */
  prefix: string;
  created_at: Timestamp;
  /** Updated at most once a minute per key. */
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface Database {
  audiences: AudienceTable;
  audience_rejections: AudienceRejectionTable;
  contacts: ContactTable;
  audience_members: AudienceMemberTable;
  consent_events: ConsentEventTable;
  suppression_lists: SuppressionListTable;
  suppression_entries: SuppressionEntryTable;
  campaign_suppression_lists: CampaignSuppressionListTable;
  pools: PoolTable;
  sender_numbers: SenderNumberTable;
  sender_state_changes: SenderStateChangeTable;
  operator_changes: OperatorChangeTable;
  sticky_senders: StickySenderTable;
  campaigns: CampaignTable;
  campaign_steps: CampaignStepTable;
  messages: MessageTable;
  message_attempts: MessageAttemptTable;
  message_events: MessageEventTable;
  inbound_messages: InboundMessageTable;
  conversations: ConversationTable;
  conversation_handoffs: ConversationHandoffTable;
  conversation_messages: ConversationMessageTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_events: WebhookEventTable;
  webhook_deliveries: WebhookDeliveryTable;
  idempotency_keys: IdempotencyKeyTable;
  api_keys: ApiKeyTable;
}

export type Contact = Selectable<ContactTable>;
export type NewContact = Insertable<ContactTable>;
export type Pool = Selectable<PoolTable>;
export type NewPool = Insertable<PoolTable>;
export type PoolUpdate = Updateable<PoolTable>;
export type SenderNumber = Selectable<SenderNumberTable>;
export type NewSenderNumber = Insertable<SenderNumberTable>;
export type Campaign = Selectable<CampaignTable>;
export type NewCampaign = Insertable<CampaignTable>;
export type CampaignStep = Selectable<CampaignStepTable>;
export type Message = Selectable<MessageTable>;
export type NewMessage = Insertable<MessageTable>;
export type MessageUpdate = Updateable<MessageTable>;
export type MessageEvent = Selectable<MessageEventTable>;
export type InboundMessage = Selectable<InboundMessageTable>;
export type Conversation = Selectable<ConversationTable>;
export type ConversationHandoff = Selectable<ConversationHandoffTable>;
export type ConversationMessage = Selectable<ConversationMessageTable>;
