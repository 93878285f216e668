import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Config } from '../config/env.ts';
import { webhookDeliveryWorkflowId, type WebhookDeliveryInput } from '../core/webhook-contracts.ts';
import type { Db } from '../db/connect.ts';
import { enabledWebhookEndpointIds } from '../db/webhook-endpoints.ts';
import type { WebhookDeliveryWorkflow } from '../workflows/webhook-delivery.ts';

type Settings = Pick<
  Config,
  | 'TEMPORAL_TASK_QUEUE'
  | 'WORKFLOW_ID_SCOPE'
  | 'WEBHOOK_TIMEOUT_SECONDS'
  | 'WEBHOOK_RETRY_INITIAL_SECONDS'
  | 'WEBHOOK_RETRY_MAX_SECONDS'
  | 'WEBHOOK_MAX_ATTEMPTS'
>;

/** Starts the endpoint's delivery workflow; one already running is what we want. */
export async function startWebhookDelivery(
  temporal: Client,
  config: Settings,
  endpointId: string,
): Promise<void> {
  const input: WebhookDeliveryInput = {
    endpointId,
    timeoutSeconds: config.WEBHOOK_TIMEOUT_SECONDS,
    retry: {
      initialSeconds: config.WEBHOOK_RETRY_INITIAL_SECONDS,
      maximumSeconds: config.WEBHOOK_RETRY_MAX_SECONDS,
      maximumAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    },
  };
  try {
    await temporal.workflow.start<typeof WebhookDeliveryWorkflow>('WebhookDeliveryWorkflow', {
      workflowId: webhookDeliveryWorkflowId(endpointId, config.WORKFLOW_ID_SCOPE),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [input],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * Every enabled endpoint has its workflow: run when the API starts, so an endpoint whose row
 * was stored by a request that died before it started the workflow is served all the same.
 */
export async function ensureWebhookDeliveries(
  db: Db,
  temporal: Client,
  config: Settings,
): Promise<void> {
  for (const id of await enabledWebhookEndpointIds(db)) {
    await startWebhookDelivery(temporal, config, id);
  }
}
