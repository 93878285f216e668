import type { SandboxContext } from '../context.ts';
import { draw, pickLatency } from '../random.ts';
import type { BlooioMessage, BlooioStatus } from './message.ts';
import { postBlooioEvent } from './webhooks.ts';

/**
 * queued → sent → delivered or failed on a timer, with a signed `message.status` webhook for
 * each step. Delivery is drawn from the seed, the sender, the chat and the send count.
 */
export function runBlooioLifecycle(
  ctx: SandboxContext,
  message: BlooioMessage,
  sendIndex: number,
  onDelivered: () => void,
): void {
  const { seed, blooio } = ctx.settings;
  const key = [message.fromNumber, message.chatId, sendIndex] as const;
  const latency = Math.max(3, pickLatency(blooio.latencyMs, draw(seed, 'blooio-latency', ...key)));
  const delivered = draw(seed, 'blooio-delivery', ...key) < blooio.deliveryRate;
  const steps: [number, BlooioStatus][] = [
    [1, 'queued'],
    [Math.round(latency / 2), 'sent'],
    [latency, delivered ? 'delivered' : 'failed'],
  ];
  ctx.scheduler.sequence(
    steps.map(([at, status]) => ({
      at,
      run: () => {
        message.status = status;
        message.updatedAt = Date.now();
        if (status === 'failed') message.error = 'Message delivery failed';
        const posted =
          draw(seed, 'blooio-status-webhook', ...key, status) < blooio.statusWebhookRate;
        if (posted) postBlooioEvent(ctx, statusEvent(message));
        if (status === 'delivered') onDelivered();
      },
    })),
  );
}

function statusEvent(message: BlooioMessage): Record<string, unknown> {
  return {
    event: 'message.status',
    message_id: message.id,
    chat_id: message.chatId,
    external_id: message.recipients.length === 1 ? message.recipients[0] : message.chatId,
    internal_id: message.fromNumber,
    status: message.status,
    protocol: message.protocol,
    ...(message.error === null ? {} : { error: message.error }),
    ...(message.metadata === undefined ? {} : { metadata: message.metadata }),
    timestamp: message.updatedAt,
  };
}
