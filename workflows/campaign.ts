import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.ts';
import {
  addOutcome,
  campaignStatusOf,
  emptyOutcome,
  type BatchOutcome,
  type CampaignProgress,
  type CampaignRunStatus,
  type ContactRange,
} from '../core/campaign-contracts.ts';
import { walkAudience } from './audience-walk.ts';
import { PrefixCursor, slidingWindow } from './sliding-window.ts';

/** Windows of batches planned per planBatches call (see the audience walk below). */
const PLAN_AHEAD = 4;

/**
 * Campaigns started before this patch walk their audience plan by plan, waiting for each
 * plan's last batch before planning the next; later ones plan ahead without draining the
 * window. Once no campaign of the old code runs, `deprecatePatch` it and drop `walkByPlans`.
 */
const CONTINUOUS_WALK = 'continuous-audience-walk';

/** A due-work pass that found nothing to send waits for the next check (was: asked again at once). */
const WAIT_WHEN_NOTHING_SENT = 'wait-when-nothing-sent';

/**
 * The broadcast done, the campaign is `waiting_for_drip` while a drip step can still fire, and
 * `completed` (its Schedule deleted) once none can (was: `completed` at once). A cancelled one
 * ends its unsent rows as `cancelled` (was: left them `pending`).
 */
const TRUE_CAMPAIGN_STATES = 'true-campaign-states';

/**
 * A campaign launched with a `start_at` still to come waits on a durable timer until then,
 * `scheduled` (or `paused`, while paused: it starts only once resumed), before anything else.
 * Campaigns without one, and every history recorded before this, run as they did.
 */
const SCHEDULED_START = 'scheduled-start';

/** Drip runs report when they finish; this is a fallback should a report be lost. */
const DRIP_RECHECK_MS = 10 * 60 * 1000;

export interface CampaignWorkflowInput {
  campaignId: string;
  /** Concurrent sendBatch activities. */
  window: number;
  batchSize: number;
  /** How often to look for retries and statuses once the audience has been walked. */
  checkIntervalSeconds: number;
  /** When the broadcast starts (ISO), if later than the launch: the workflow waits until then. */
  startAt?: string;
  /** State carried across continue-as-new. */
  carried?: CarriedState;
}

interface CarriedState {
  cursor: string | null;
  audienceExhausted: boolean;
  totals: BatchOutcome;
  batchesDone: number;
  paused: boolean;
  /** The broadcast is done and the campaign waits for its drip steps. */
  awaitingDrip?: boolean;
}

export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const cancelSignal = defineSignal('cancel');
/** A run of the campaign's drip Schedule has finished: a drip step may have fired its last. */
export const dripRanSignal = defineSignal('dripRan');
export const progressQuery = defineQuery<CampaignProgress>('progress');

type Activities = ReturnType<typeof createActivities>;

const { planBatches, dueWork, setCampaignStatus, dripOutlook, endDripSchedule } =
  proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
const { sendBatch, sendDue, reconcileStale, cancelUnsent } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  // Short, so a worker that died is noticed quickly and its batch resumes elsewhere.
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Sends step 0 of a campaign to its whole audience, then retries and deferred sends until done. */
export async function CampaignWorkflow(input: CampaignWorkflowInput): Promise<CampaignProgress> {
  const { campaignId } = input;
  const state: CarriedState = input.carried ?? {
    cursor: null,
    audienceExhausted: false,
    totals: emptyOutcome(),
    batchesDone: 0,
    paused: false,
  };
  let cancelled = false;
  let dripRuns = 0;
  let nextWakeAt: string | null = null;
  const resumed: CampaignRunStatus = state.awaitingDrip === true ? 'waiting_for_drip' : 'running';
  let status: CampaignRunStatus = state.paused ? 'paused' : resumed;

  const progress = (): CampaignProgress => ({
    campaignId,
    status,
    step: 0,
    batchesDone: state.batchesDone,
    totals: state.totals,
    cursor: state.cursor,
    audienceExhausted: state.audienceExhausted,
    nextWakeAt,
  });
  let published: CampaignRunStatus | undefined;
  const publish = async (next: CampaignRunStatus) => {
    status = next;
    if (next === published) return;
    published = next;
    upsertSearchAttributes({ CampaignId: [campaignId], CampaignStatus: [campaignStatusOf(next)] });
    await setCampaignStatus({ campaignId, status: next });
  };

  setHandler(pauseSignal, () => {
    state.paused = true;
  });
  setHandler(resumeSignal, () => {
    state.paused = false;
  });
  setHandler(cancelSignal, () => {
    cancelled = true;
  });
  setHandler(dripRanSignal, () => {
    dripRuns += 1;
  });
  setHandler(progressQuery, progress);

  // Before the first status: a campaign waiting for its start shows `scheduled`, not `running`.
  let cancelledBeforeStart = false;
  if (input.carried === undefined && input.startAt !== undefined && patched(SCHEDULED_START)) {
    const startAt = Date.parse(input.startAt);
    // Re-armed after each pause or resume; a cancel ends the wait (and the campaign) at once.
    while (!cancelled && Date.now() < startAt) {
      const pausedNow = state.paused;
      nextWakeAt = input.startAt;
      await publish(pausedNow ? 'paused' : 'scheduled');
      await Promise.race([
        sleep(startAt - Date.now()),
        condition(() => cancelled || state.paused !== pausedNow),
      ]);
    }
    nextWakeAt = null;
    cancelledBeforeStart = cancelled;
  }
  if (!cancelledBeforeStart) await publish(state.paused ? 'paused' : resumed);
  const proceed = async (): Promise<boolean> => {
    if (state.paused && !cancelled) {
      await publish('paused');
      await condition(() => !state.paused || cancelled);
      if (!cancelled) await publish(state.awaitingDrip === true ? 'waiting_for_drip' : 'running');
    }
    return !cancelled;
  };
  const record = (outcome: BatchOutcome) => {
    state.totals = addOutcome(state.totals, outcome);
    state.batchesDone += 1;
  };

  // Pause and cancel stop in-flight batches within a heartbeat; a stopped batch is simply
  // run again later: rows are unique per (campaign, step, contact) and sent ones are skipped.
  const interruptible = async <T>(run: () => Promise<T>): Promise<T | undefined> => {
    const scope = new CancellationScope();
    let finished = false;
    void condition(() => finished || cancelled || state.paused).then(() => {
      if (!finished) scope.cancel();
    });
    try {
      return await scope.run(run);
    } catch (error) {
      if (isCancellation(error) || cancelled || state.paused) return undefined;
      throw error;
    } finally {
      finished = true;
    }
  };

  // Walk the audience by keyset, `window` batches in flight (see walkAudience).
  const walkByPlans = async (): Promise<boolean | undefined> => {
    const plan = await planBatches({
      campaignId,
      after: state.cursor,
      batches: input.window * PLAN_AHEAD,
      batchSize: input.batchSize,
    });
    const cursor = new PrefixCursor(plan.ranges.map((range: ContactRange) => range.upTo));
    const walked = await interruptible(async () => {
      await slidingWindow(plan.ranges, input.window, async (range, index) => {
        record(await sendBatch({ campaignId, range }));
        state.cursor = cursor.finish(index) ?? state.cursor;
      });
      return true;
    });
    return walked === undefined ? undefined : plan.exhausted;
  };
  const walkContinuously = async (): Promise<boolean | undefined> => {
    const walked = await interruptible(() =>
      walkAudience({
        after: state.cursor,
        width: input.window,
        planSize: input.window * PLAN_AHEAD,
        plan: (after, batches) =>
          planBatches({ campaignId, after, batches, batchSize: input.batchSize }),
        send: async (range) => record(await sendBatch({ campaignId, range })),
        onCursor: (cursor) => (state.cursor = cursor),
        stop: () => workflowInfo().continueAsNewSuggested,
      }),
    );
    return walked?.done;
  };
  while (!state.audienceExhausted && (await proceed())) {
    const exhausted = patched(CONTINUOUS_WALK) ? await walkContinuously() : await walkByPlans();
    if (exhausted === undefined) continue;
    state.audienceExhausted = exhausted;
    if (workflowInfo().continueAsNewSuggested) return carryOn(input, state);
  }

  // Then: deferred recipients (quiet hours), user-side retries and missing statuses.
  while (!cancelled) {
    if (!(await proceed())) break;
    const work = await dueWork({ campaignId });
    if (work.stale > 0) await reconcileStale({ campaignId });
    if (work.dueNow > 0) {
      const slices = Math.min(input.window, Math.ceil(work.dueNow / input.batchSize));
      const outcomes = await interruptible(() =>
        Promise.all(
          Array.from({ length: slices }, (_, slice) =>
            sendDue({ campaignId, slice, slices, limit: input.batchSize }),
          ),
        ),
      );
      outcomes?.forEach(record);
      if (workflowInfo().continueAsNewSuggested) return carryOn(input, state);
      // Rows counted due that no sender could take (another one holds them): wait for the
      // next check instead of asking again at once.
      const idle = outcomes?.every((outcome) => outcome.considered === 0) === true;
      if (idle && patched(WAIT_WHEN_NOTHING_SENT)) {
        await Promise.race([
          sleep(input.checkIntervalSeconds * 1000),
          condition(() => cancelled || state.paused),
        ]);
      }
      continue;
    }
    if (work.nextDueAt === null && work.awaitingStatus === 0 && work.stale === 0) break;
    // A durable timer: until the next deferred send comes due, or the next status check.
    const checkMs = input.checkIntervalSeconds * 1000;
    const untilDue =
      work.nextDueAt === null
        ? checkMs
        : (work.nextDueInMs ?? Date.parse(work.nextDueAt) - Date.now());
    const waitMs = Math.max(
      250,
      work.awaitingStatus > 0 || work.stale > 0 ? Math.min(untilDue, checkMs) : untilDue,
    );
    nextWakeAt = new Date(Date.now() + waitMs).toISOString();
    await publish(work.nextDueAt !== null && work.awaitingStatus === 0 ? 'waiting' : 'running');
    await Promise.race([sleep(waitMs), condition(() => cancelled || state.paused)]);
    nextWakeAt = null;
    if (workflowInfo().continueAsNewSuggested) return carryOn(input, state);
  }

  if (patched(TRUE_CAMPAIGN_STATES)) {
    state.awaitingDrip = true;
    // Until no drip step can fire: re-checked after every drip run (they report here).
    while (!cancelled && (await proceed())) {
      // Counted first: a run that reports while the outlook is asked wakes the next wait.
      const seen = dripRuns;
      const { canFire } = await dripOutlook({ campaignId });
      if (!canFire) {
        await endDripSchedule({ campaignId });
        break;
      }
      await publish('waiting_for_drip');
      await Promise.race([
        sleep(DRIP_RECHECK_MS),
        condition(() => dripRuns > seen || cancelled || state.paused),
      ]);
      if (workflowInfo().continueAsNewSuggested) return carryOn(input, state);
    }
    if (cancelled) await cancelUnsent({ campaignId });
  }

  await publish(cancelled ? 'cancelled' : 'completed');
  log.info('campaign finished', { campaignId, status, totals: state.totals });
  return progress();
}

async function carryOn(input: CampaignWorkflowInput, state: CarriedState): Promise<never> {
  await condition(allHandlersFinished);
  return continueAsNew<typeof CampaignWorkflow>({ ...input, carried: state });
}
