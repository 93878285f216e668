import type { BatchOutcome, DueWork } from '../core/campaign-contracts.ts';
import { DEFAULT_ONE_OFF_RETRY_POLICY } from '../core/one-off.ts';
import { DEFAULT_WINDOW } from '../core/quiet-hours.ts';
import { healthSettings } from '../db/health-settings.ts';
import { dueOneOffMessages } from '../db/messages.ts';
import type { ActivityDeps } from './deps.ts';
import { dueWorkOf, reconcileStaleOf } from './message-checks.ts';
import { SEND_CONCURRENCY, type SendContext } from './send-context.ts';
import { sendRows } from './send-pipeline.ts';
import { campaignSendPolicy } from './send-policy.ts';

/** Nothing pauses or cancels a one-off send once accepted: its checks always say "go on". */
const neverInterrupted = {
  interrupted: () => Promise.resolve(false),
  interruptedNow: () => false,
  stopInterruptionChecks: () => undefined,
};

/**
 * What the campaigns' send pipeline needs to send a pool's one-offs: each row's own text and
 * media (no template), the default sending window over the legal floor, each row's own retry
 * policy (the context's is the default), no frequency cap (an operator's one message is not
 * marketing volume).
 */
export function oneOffSendContext(deps: ActivityDeps, poolId: string): SendContext {
  const { db, config, clock } = deps;
  return {
    db,
    sms: deps.sms,
    now: clock,
    poolId,
    content: { template: null, mediaUrls: [] },
    policy: campaignSendPolicy(DEFAULT_WINDOW, config.DEFAULT_TIME_ZONE),
    retryPolicy: DEFAULT_ONE_OFF_RETRY_POLICY,
    frequencyCap: null,
    followupLines: null,
    statusCallback: `${config.PUBLIC_BASE_URL}/webhooks/twilio/status`,
    concurrency: SEND_CONCURRENCY,
    rateHeadroom: config.RATE_LIMIT_HEADROOM,
    health: healthSettings(config),
    requestTimeoutMs: config.CARRIER_TIMEOUT_SECONDS * 1000,
    resolveAfterMs: config.UNKNOWN_RESOLVE_SECONDS * 1000,
    ...neverInterrupted,
    ...(deps.sleepUntil === undefined ? {} : { sleepUntil: deps.sleepUntil }),
    ...(deps.onStatusApplied === undefined ? {} : { onStatusApplied: deps.onStatusApplied }),
  };
}

export function createOneOffActivities(deps: ActivityDeps) {
  const { db, clock } = deps;
  return {
    /** Sends one slice of the pool's one-offs that are due now. */
    async sendOneOffsDue(input: {
      poolId: string;
      slice: number;
      slices: number;
      limit: number;
    }): Promise<BatchOutcome> {
      const rows = await dueOneOffMessages(
        db,
        input.poolId,
        clock(),
        input.slice,
        input.slices,
        input.limit,
      );
      return sendRows(oneOffSendContext(deps, input.poolId), rows);
    },

    oneOffDueWork: (input: { poolId: string }): Promise<DueWork> =>
      dueWorkOf(deps, { oneOffPoolId: input.poolId }),

    reconcileStaleOneOffs: (input: { poolId: string }): Promise<{ checked: number }> =>
      reconcileStaleOf(deps, { oneOffPoolId: input.poolId }),
  };
}
