import {
  ActivityFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.ts';
import type { DueDelivery, WebhookDeliveryInput } from '../core/webhook-contracts.ts';

type Activities = ReturnType<typeof createActivities>;

/** How long one long-polling activity waits for work when nothing is being delivered. */
const IDLE_WAIT_SECONDS = 20;
/**
 * The same while keys are being delivered: their later events are only looked for by the next
 * poll, so a key that just finished waits at most this long for its next event to go.
 */
const BUSY_WAIT_SECONDS = 2;
/** Keys delivered side by side at most. */
const MAX_KEYS_IN_FLIGHT = 200;
/** Rounds before continue-as-new, whatever the server suggests (each is a handful of events). */
const ROUNDS_PER_RUN = 500;

const { awaitWebhookDeliveries, giveUpWebhookDelivery } = proxyActivities<Activities>({
  startToCloseTimeout: `${IDLE_WAIT_SECONDS + 30} seconds`,
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * Delivers one endpoint's events, forever: takes its open deliveries from the outbox (oldest
 * event first) and POSTs them. Events of one ordering key (one contact's conversation, one
 * campaign, one number) go one after the other, each retried with capped exponential back-off
 * until it is delivered or its attempts run out (then it is given up, and the key goes on).
 * Different keys go side by side, and a key being retried holds back no other: while a key is
 * busy the outbox is polled for the other keys' events only. The workflow ends when the
 * endpoint is disabled.
 *
 * Exactly once by event id, as the receiver sees it: an event is POSTed until one attempt
 * answers 2xx, every attempt with the same id and body; a repeat (an answer lost, a worker that
 * died after the POST) carries that id again for the receiver to drop.
 */
export async function WebhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<void> {
  const { deliverWebhookEvent } = proxyActivities<Activities>({
    startToCloseTimeout: `${input.timeoutSeconds + 10} seconds`,
    retry: {
      initialInterval: `${input.retry.initialSeconds} seconds`,
      backoffCoefficient: 2,
      maximumInterval: `${input.retry.maximumSeconds} seconds`,
      maximumAttempts: input.retry.maximumAttempts,
    },
  });
  const { endpointId } = input;
  const busy = new Map<string, Promise<void>>();

  const deliverInOrder = async (chain: readonly DueDelivery[]) => {
    for (const { eventId } of chain) {
      try {
        await deliverWebhookEvent({ endpointId, eventId, timeoutSeconds: input.timeoutSeconds });
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        log.warn('webhook delivery given up', { endpointId, eventId });
        await giveUpWebhookDelivery({ endpointId, eventId });
      }
    }
  };

  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    await condition(() => busy.size < MAX_KEYS_IN_FLIGHT);
    const due = await awaitWebhookDeliveries({
      endpointId,
      waitSeconds: busy.size > 0 ? BUSY_WAIT_SECONDS : IDLE_WAIT_SECONDS,
      busyKeys: [...busy.keys()],
    });
    if (due.kind === 'disabled') {
      await Promise.all(busy.values());
      return;
    }
    if (due.kind === 'due') {
      for (const chain of byKey(due.deliveries)) {
        const key = chain[0]?.orderingKey ?? '';
        busy.set(
          key,
          deliverInOrder(chain).finally(() => busy.delete(key)),
        );
      }
    }
    if (workflowInfo().continueAsNewSuggested) break;
  }
  // What is in hand is finished first; the next run finds the rest in the outbox.
  await Promise.all(busy.values());
  await continueAsNew<typeof WebhookDeliveryWorkflow>(input);
}

/** The batch split by ordering key, each chain in event order (the batch's order). */
function byKey(deliveries: readonly DueDelivery[]): DueDelivery[][] {
  const chains = new Map<string, DueDelivery[]>();
  for (const delivery of deliveries) {
    const chain = chains.get(delivery.orderingKey);
    if (chain === undefined) chains.set(delivery.orderingKey, [delivery]);
    else chain.push(delivery);
  }
  return [...chains.values()];
}
