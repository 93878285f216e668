import { ApplicationFailure } from '@temporalio/activity';
import type { DueDeliveries } from '../core/webhook-contracts.ts';
import { webhookBody, webhookSignature } from '../core/webhook-signature.ts';
import {
  deliveryToMake,
  dueDeliveries,
  giveUpDelivery,
  recordDeliveryAttempt,
  type AttemptResult,
} from '../db/webhook-deliveries.ts';
import type { ActivityDeps } from './deps.ts';
import { cancellationSignal, heartbeat } from './heartbeat.ts';

/** How often an idle endpoint's outbox is looked at, inside one long-polling activity. */
const POLL_MS = 250;
/** Open deliveries handed to the workflow at once. */
const BATCH = 100;

export function createWebhookActivities(deps: ActivityDeps) {
  const { db, clock } = deps;

  return {
    /**
     * Waits (polling the outbox, heartbeating) until the endpoint has deliveries to make (of
     * keys not busy), or
     * `waitSeconds` pass. Polling the table is what makes delivery robust: any process may write
     * events, in any transaction, and die right after; nothing has to tell the workflow. The
     * wait lives in this activity rather than in workflow timers, so an idle endpoint costs one
     * activity in the history per `waitSeconds`, not a timer every quarter second.
     */
    async awaitWebhookDeliveries(input: {
      endpointId: string;
      waitSeconds: number;
      /** Keys the workflow is delivering already (their later events wait for them). */
      busyKeys: string[];
    }): Promise<DueDeliveries> {
      const deadline = Date.now() + input.waitSeconds * 1000;
      const signal = cancellationSignal();
      for (;;) {
        const due = await dueDeliveries(db, input.endpointId, BATCH, input.busyKeys);
        if (due.kind !== 'idle' || Date.now() >= deadline || signal.aborted) return due;
        heartbeat();
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },

    /**
     * POSTs one event, signed, with its id; a 2xx is delivered, anything else (or no answer in
     * time) is recorded and thrown for the workflow's retry policy. Every attempt sends the same
     * body and event id, so the receiver keeps the first and drops repeats.
     */
    async deliverWebhookEvent(input: {
      endpointId: string;
      eventId: string;
      timeoutSeconds: number;
    }): Promise<void> {
      const target = await deliveryToMake(db, input.endpointId, input.eventId);
      if (target === undefined || target.disabled) return;
      if (target.status === 'delivered' || target.status === 'given_up') return;
      const body = webhookBody(target.event);
      const timestamp = Math.floor(clock().getTime() / 1000);
      const result = await post(target.url, body, {
        'content-type': 'application/json',
        'user-agent': 'tandem-webhooks/1',
        'tandem-event-id': target.event.id,
        'tandem-event-type': target.event.type,
        'tandem-timestamp': String(timestamp),
        'tandem-signature': webhookSignature(target.secret, timestamp, body),
      });
      await recordDeliveryAttempt(db, input.endpointId, input.eventId, result, clock());
      if (!result.ok) {
        throw ApplicationFailure.create({
          type: 'WebhookDeliveryFailed',
          message: `${target.url}: ${result.error}`,
        });
      }

      async function post(
        url: string,
        payload: string,
        headers: Record<string, string>,
      ): Promise<AttemptResult> {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers,
            body: payload,
            redirect: 'manual',
            signal: AbortSignal.timeout(input.timeoutSeconds * 1000),
          });
          await response.body?.cancel();
          if (response.status >= 200 && response.status < 300) {
            return { ok: true, statusCode: response.status };
          }
          return { ok: false, statusCode: response.status, error: `HTTP ${response.status}` };
        } catch (error) {
          const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
          const message = (error as Error).name === 'TimeoutError' ? 'timed out' : String(error);
          return { ok: false, statusCode: null, error: cause ?? message };
        }
      }
    },

    async giveUpWebhookDelivery(input: { endpointId: string; eventId: string }): Promise<void> {
      await giveUpDelivery(db, input.endpointId, input.eventId);
    },
  };
}
