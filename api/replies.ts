import type { Config } from '../config/env.ts';
import { classifyReply, type ReplyClassification } from '../core/keywords.ts';
import { normalisePhone } from '../core/phone.ts';
import { planReply, type FollowupReadiness, type ReplyPlan } from '../core/reply-plan.ts';
import type { Db } from '../db/connect.ts';
import {
  attachContact,
  loadInboundContexts,
  storeInbound,
  storeInbounds,
  type InboundContext,
  type InboundKey,
  type NewInbound,
} from '../db/inbound.ts';
import { ensureContact, optIn, optOut } from '../db/opt-outs.ts';
import type { Provider } from '../db/tables.ts';
import { retryTransaction } from '../db/retry.ts';
import { inTransaction } from '../db/transaction.ts';
import { groupCommit } from './group-commit.ts';

export interface InboundReply {
  provider: Provider;
  sid: string;
  from: string;
  to: string;
  body: string;
  protocol: string | null;
}

export interface ReplyOutcome {
  duplicate: boolean;
  inboundId: string;
  contactId: string | null;
  campaignId: string | null;
  classification: ReplyClassification['kind'];
  /** The one message answered to the sender (TwiML for SMS), or null. */
  reply: string | null;
  handOff: boolean;
  optedOut: boolean;
}

type Settings = Pick<
  Config,
  'DEFAULT_HELP_TEXT' | 'OPT_OUT_CONFIRMATION' | 'OPT_IN_CONFIRMATION' | 'DEFAULT_COUNTRY'
>;

/** Reads and writes of the common path (no consent change), group-committed across requests. */
interface InboundStore {
  context(input: InboundKey): Promise<InboundContext>;
  store(row: NewInbound): Promise<string | null>;
}

export type ReplyRecorder = (input: InboundReply) => Promise<ReplyOutcome>;

export function createReplyRecorder(db: Db, config: Settings, maxBatch = 500): ReplyRecorder {
  const inbound: InboundStore = {
    context: groupCommit((inputs) => loadInboundContexts(db, inputs), maxBatch),
    // One statement, whose trigger upserts each contact's conversation: a consent change
    // upserting the same conversation at that moment can make it the deadlock victim, and a
    // carrier does not redeliver a webhook answered 500. It simply runs again.
    store: groupCommit((rows) => retryTransaction(() => storeInbounds(db, rows)), maxBatch),
  };
  const record: ReplyRecorder = (input) => recordReply(db, inbound, config, input, record);
  return record;
}

/**
 * Stores an inbound reply once and applies what it means, for SMS and Blooio alike: opt-out
 * or opt-in in the same transaction as the message, and the answer and hand-off decided by
 * `planReply`. A carrier's retry of a stored message changes nothing and gets the same answer.
 */
async function recordReply(
  db: Db,
  inbound: InboundStore,
  config: Settings,
  input: InboundReply,
  /** Lost a race with a concurrent delivery of the same message: answer as the first did. */
  duplicateOf: ReplyRecorder,
): Promise<ReplyOutcome> {
  const context = await inbound.context(input);
  const classification = classifyReply(input.body, {
    interestedKeywords: context.interestedKeywords,
  });
  const plan = planReply(
    input.body,
    classification,
    {
      optedOut: context.optedOut,
      helpText: context.helpText,
      followup: followupReadiness(context),
      carrierConfirms: input.provider === 'twilio',
    },
    {
      defaultHelpText: config.DEFAULT_HELP_TEXT,
      optOutConfirmation: config.OPT_OUT_CONFIRMATION,
      optInConfirmation: config.OPT_IN_CONFIRMATION,
    },
  );
  const outcome = (inboundId: string, duplicate: boolean, contactId: string | null) => ({
    duplicate,
    inboundId,
    contactId,
    campaignId: context.campaignId,
    classification: classification.kind,
    reply: duplicate ? (context.existing?.reply ?? plan.reply) : plan.reply,
    handOff: plan.handOff,
    optedOut: plan.optOut,
  });
  if (context.existing !== null) return outcome(context.existing.id, true, context.contactId);

  const row = {
    ...input,
    contactId: context.contactId,
    campaignId: context.campaignId,
    classification: classification.kind,
    reply: plan.reply,
    // Only an SMS reply is handed off; over iMessage the person is in the conversation already.
    handoffSkipped: input.provider === 'twilio' ? plan.handoffSkipped : null,
  };
  if (!plan.optOut && !plan.optIn) {
    const id = await inbound.store(row);
    return id === null ? duplicateOf(input) : outcome(id, false, context.contactId);
  }
  // An import attaching its members takes a brief table lock on contacts; a consent change
  // caught waiting on one of its rows is the deadlock victim, and simply runs again.
  const stored = await retryTransaction(() =>
    inTransaction(db, async (trx) => {
      const id = await storeInbound(trx, row);
      if (id === null) return null;
      const contactId =
        context.contactId ?? (await ensureContact(trx, input.from, country(config, input.from)));
      if (context.contactId === null) await attachContact(trx, id, contactId);
      await applyConsent(trx, plan, {
        contactId,
        channel: input.provider === 'twilio' ? 'sms' : 'imessage',
        source: input.provider === 'twilio' ? 'sms_keyword' : 'imessage_keyword',
        keyword: 'keyword' in classification ? classification.keyword : null,
        detail: input.body,
        campaignId: context.campaignId,
        inboundMessageId: id,
        at: new Date(),
      });
      return { id, contactId };
    }),
  );
  return stored === null ? duplicateOf(input) : outcome(stored.id, false, stored.contactId);
}

async function applyConsent(
  trx: Db,
  plan: ReplyPlan,
  change: Parameters<typeof optOut>[1],
): Promise<void> {
  if (plan.optOut) await optOut(trx, change);
  if (plan.optIn) await optIn(trx, change);
}

function followupReadiness(context: InboundContext): FollowupReadiness {
  if (context.contactId === null) return 'unknown_contact';
  if (context.campaignId === null) return 'no_campaign';
  return context.followupPoolId === null ? 'no_followup_pool' : 'ready';
}

function country(config: Settings, phone: string): string {
  const parsed = normalisePhone(phone, config.DEFAULT_COUNTRY);
  return parsed.ok ? parsed.phone.country : config.DEFAULT_COUNTRY;
}
