import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineSignal,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.ts';
import { addOutcome, emptyOutcome, type BatchOutcome } from '../core/campaign-contracts.ts';
import type { OneOffSendInput } from '../core/one-off.ts';

/** A one-off was accepted for the pool (the API signals it with signalWithStart). */
export const wakeSignal = defineSignal('wake');

type Activities = ReturnType<typeof createActivities>;

const { oneOffDueWork } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
const { sendOneOffsDue, reconcileStaleOneOffs } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * Sends a pool's one-off messages (`POST /v1/messages`): the rows are in PostgreSQL, each
 * accepted with its sender and slot already reserved, so this workflow only carries "look
 * again". Every pass sends all that is due, `window` slices at once, through the campaigns'
 * send pipeline (exactly once per row, retries from another number, quiet-hour deferrals), so
 * sends accepted while a pass runs are taken together by the next one: a thousand requests
 * are a handful of activities, not a thousand workflows. Between passes it sleeps until the
 * next deferred send, a status check, or a wake; with nothing outstanding it ends after
 * `idleSeconds` without a wake, and the next send starts it again.
 */
export async function OneOffSendWorkflow(input: OneOffSendInput): Promise<BatchOutcome> {
  let woken = false;
  let totals = emptyOutcome();
  setHandler(wakeSignal, () => {
    woken = true;
  });
  const checkMs = input.checkIntervalSeconds * 1000;

  for (;;) {
    woken = false;
    const work = await oneOffDueWork({ poolId: input.poolId });
    if (work.stale > 0) await reconcileStaleOneOffs({ poolId: input.poolId });
    if (work.dueNow > 0) {
      const slices = Math.min(input.window, Math.ceil(work.dueNow / input.batchSize));
      const outcomes = await Promise.all(
        Array.from({ length: slices }, (_, slice) =>
          sendOneOffsDue({ poolId: input.poolId, slice, slices, limit: input.batchSize }),
        ),
      );
      outcomes.forEach((outcome) => (totals = addOutcome(totals, outcome)));
      // Rows counted due that another sender holds: wait for the next check or a wake.
      if (outcomes.every((outcome) => outcome.considered === 0))
        await condition(() => woken, checkMs);
    } else if (work.nextDueAt === null && work.awaitingStatus === 0 && work.stale === 0) {
      if (!(await condition(() => woken, input.idleSeconds * 1000))) break;
    } else {
      const untilDue = work.nextDueInMs ?? checkMs;
      const waitMs = Math.max(
        250,
        work.awaitingStatus > 0 ? Math.min(untilDue, checkMs) : untilDue,
      );
      await condition(() => woken, waitMs);
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof OneOffSendWorkflow>(input);
    }
  }
  log.info('one-off sender idle', { poolId: input.poolId, totals });
  return totals;
}
