import { assertNever } from './assert-never.ts';
import { carrierKeywordEffect } from './carrier-keywords.ts';
import type { ReplyClassification } from './keywords.ts';

/**
 * For Twilio's own keywords the carrier texts the confirmation itself, so tandem must not
 * send a second one (a reply to a STOP would fail with 21610 anyway).
 */
export function isCarrierKeyword(body: string): boolean {
  return carrierKeywordEffect(body) !== null;
}

export interface ReplyContext {
  /** The contact is currently opted out (before this message). */
  readonly optedOut: boolean;
  /** The attributed campaign's help text, if it has one. */
  readonly helpText: string | null;
  /** Whether an interested reply can be handed off, or why not. */
  readonly followup: FollowupReadiness;
  /** The channel's carrier confirms its own keywords (Twilio SMS yes, Blooio iMessage no). */
  readonly carrierConfirms: boolean;
}

/**
 * `ready`: the contact is known and the campaign the reply is attributed to has a follow-up
 * pool. Otherwise the reason an interested reply stays where it is, recorded with it.
 */
export type FollowupReadiness = 'ready' | 'unknown_contact' | 'no_campaign' | 'no_followup_pool';

/** Why an interested reply was not handed off. */
export type HandoffSkip = Exclude<FollowupReadiness, 'ready'> | 'opted_out';

export interface ReplySettings {
  readonly defaultHelpText: string;
  readonly optOutConfirmation: string;
  readonly optInConfirmation: string;
}

export interface ReplyPlan {
  readonly optOut: boolean;
  readonly optIn: boolean;
  readonly handOff: boolean;
  /** An interested reply that is not handed off: why (shown in the thread and the funnel). */
  readonly handoffSkipped: HandoffSkip | null;
  /** The one message answered to the sender, or null for none. */
  readonly reply: string | null;
}

const NOTHING: ReplyPlan = {
  optOut: false,
  optIn: false,
  handOff: false,
  handoffSkipped: null,
  reply: null,
};

/** What an inbound reply does: pure, so every channel and the tests share one set of rules. */
export function planReply(
  body: string,
  classification: ReplyClassification,
  context: ReplyContext,
  settings: ReplySettings,
): ReplyPlan {
  switch (classification.kind) {
    case 'opt_out': {
      // One confirmation: the carrier's for its keywords, else ours, and only on the change.
      const carrierDoes = context.carrierConfirms && isCarrierKeyword(body);
      const confirm = !context.optedOut && !carrierDoes;
      return { ...NOTHING, optOut: true, reply: confirm ? settings.optOutConfirmation : null };
    }
    case 'opt_in': {
      // Over SMS only: an iMessage answer is sent by the conversation, which confirms opt-outs only.
      const confirm = context.optedOut && context.carrierConfirms && !isCarrierKeyword(body);
      return {
        ...NOTHING,
        optIn: context.optedOut,
        reply: confirm ? settings.optInConfirmation : null,
      };
    }
    case 'help':
      return { ...NOTHING, reply: context.helpText ?? settings.defaultHelpText };
    case 'interested': {
      const optIn = context.optedOut && classification.alsoOptIn;
      const subscribed = !context.optedOut || optIn;
      const skipped = !subscribed
        ? 'opted_out'
        : context.followup === 'ready'
          ? null
          : context.followup;
      return { ...NOTHING, optIn, handOff: skipped === null, handoffSkipped: skipped };
    }
    case 'other':
      return NOTHING;
    default:
      return assertNever(classification);
  }
}
