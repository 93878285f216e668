import type { RetryPolicy } from '../core/carrier-errors.ts';
import { capWindow, type CapWindow } from '../core/frequency-cap.ts';
import { loadCampaignForSending } from '../db/campaigns.ts';
import type { Db } from '../db/connect.ts';
import type { Targeting } from '../db/messages.ts';
import { healthSettings, type HealthSettings } from '../db/health-settings.ts';
import type { SmsCarrier } from './carriers/sms.ts';
import type { ActivityDeps } from './deps.ts';
import { usesFollowupNumber } from './followup-lines.ts';
import { interruptionCheck } from './interruption.ts';
import type { NumberPacer } from './number-pacer.ts';
import { campaignSendPolicy, type SendPolicy } from './send-policy.ts';
import type { StepContent } from './send-triage.ts';

export const SEND_CONCURRENCY = 64;

/** What the send pipeline (send-pipeline.ts and the parts it calls) needs to send rows. */
export interface SendContext {
  db: Db;
  sms: SmsCarrier;
  now: () => Date;
  poolId: string;
  /** The step's template and media; a null template sends each row's own text (a one-off). */
  content: StepContent;
  policy: SendPolicy;
  retryPolicy: RetryPolicy;
  /** The campaign's frequency cap across campaigns; absent or null: none. */
  frequencyCap?: CapWindow | null;
  statusCallback: string;
  concurrency: number;
  rateHeadroom: number;
  health: HealthSettings;
  onStatusApplied?: ActivityDeps['onStatusApplied'];
  /** The carrier client's request timeout: a request on the wire ends within it. */
  requestTimeoutMs: number;
  /** How long after a lost answer the carrier is asked whether it created the message. */
  resolveAfterMs: number;
  /** True once the campaign was paused or cancelled: stop before the next send. */
  interrupted: () => Promise<boolean>;
  /** The last known answer of `interrupted`, without waiting. */
  interruptedNow: () => boolean;
  /** Ends the background interruption checks (called when `sendRows` returns). */
  stopInterruptionChecks: () => void;
  sleepUntil?: (at: Date, signal: AbortSignal) => Promise<void>;
  /** Paces this process's dispatches per number (the process-wide one by default). */
  pacer?: NumberPacer;
  /**
   * When the template names `{{followup_number}}`: the campaign and its follow-up pool, whose
   * line each contact gets (and keeps) before the text is rendered.
   */
  followupLines?: { campaignId: string; poolId: string } | null;
}

export interface StepSendContext extends SendContext {
  audienceId: string;
  /** Who of the audience the campaign texts (its filter and excluded audiences). */
  targeting: Targeting;
  step: number;
  stepCount: number;
}

/** Everything `sendRows` needs to send one step of a campaign. */
export async function buildSendContext(
  deps: ActivityDeps,
  campaignId: string,
  stepNumber: number,
): Promise<StepSendContext> {
  const { db, config, clock } = deps;
  const { campaign, steps, smsPool } = await loadCampaignForSending(db, campaignId);
  const step = steps.find((candidate) => candidate.step === stepNumber);
  if (step === undefined) throw new Error(`Campaign ${campaignId} has no step ${stepNumber}`);
  const interruption = interruptionCheck(db, campaignId);
  return {
    db,
    sms: deps.sms,
    now: clock,
    poolId: smsPool.id,
    content: { template: step.template, mediaUrls: step.media_urls ?? [] },
    policy: campaignSendPolicy(
      campaign.quiet_hours,
      config.DEFAULT_TIME_ZONE,
      campaign.max_segments,
    ),
    retryPolicy: campaign.retry_policy,
    frequencyCap: capWindow(campaign.frequency_cap),
    followupLines:
      campaign.followup_pool_id !== null && usesFollowupNumber(step.template)
        ? { campaignId, poolId: campaign.followup_pool_id }
        : null,
    statusCallback: `${config.PUBLIC_BASE_URL}/webhooks/twilio/status`,
    concurrency: SEND_CONCURRENCY,
    rateHeadroom: config.RATE_LIMIT_HEADROOM,
    health: healthSettings(config),
    requestTimeoutMs: config.CARRIER_TIMEOUT_SECONDS * 1000,
    resolveAfterMs: config.UNKNOWN_RESOLVE_SECONDS * 1000,
    audienceId: campaign.audience_id,
    targeting: { filter: campaign.filter, excludeAudienceIds: campaign.exclude_audience_ids },
    step: stepNumber,
    stepCount: steps.length,
    interrupted: interruption.check,
    interruptedNow: interruption.now,
    stopInterruptionChecks: interruption.stop,
    ...(deps.sleepUntil === undefined ? {} : { sleepUntil: deps.sleepUntil }),
    ...(deps.onStatusApplied === undefined ? {} : { onStatusApplied: deps.onStatusApplied }),
  };
}
