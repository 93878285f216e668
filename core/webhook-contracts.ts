/** The facts an operator's endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'conversation.reply_received',
  'conversation.handed_off',
  'contact.opted_out',
  'campaign.completed',
  'number.state_changed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** One long-running delivery workflow per endpoint; endpoint ids are unique, so is this. */
export const webhookDeliveryWorkflowId = (endpointId: string, scope = '') =>
  scope === '' ? `webhook-delivery-${endpointId}` : `webhook-delivery-${scope}-${endpointId}`;

export interface WebhookRetry {
  initialSeconds: number;
  maximumSeconds: number;
  /** Attempts per event before its delivery is given up. */
  maximumAttempts: number;
}

export interface WebhookDeliveryInput {
  endpointId: string;
  retry: WebhookRetry;
  /** Each POST gives up after this (and is retried). */
  timeoutSeconds: number;
}

/** A delivery to make, as the workflow sees it: the key that orders it, and the event. */
export interface DueDelivery {
  eventId: string;
  orderingKey: string;
}

export type DueDeliveries =
  { kind: 'due'; deliveries: DueDelivery[] } | { kind: 'idle' } | { kind: 'disabled' };

export type EndpointProblem =
  | { code: 'invalid_url'; message: string }
  | { code: 'no_events'; message: string }
  | { code: 'unknown_event'; message: string; event: string };

/** Why an endpoint cannot be registered, or null: an http(s) URL and known event types. */
export function endpointProblem(input: {
  url: string;
  events: readonly string[];
}): EndpointProblem | null {
  let url: URL | null;
  try {
    url = new URL(input.url);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return { code: 'invalid_url', message: 'url must be an absolute http:// or https:// URL' };
  }
  if (input.events.length === 0) {
    return {
      code: 'no_events',
      message: `events must name at least one of: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    };
  }
  const unknown = input.events.find((event) => !isWebhookEventType(event));
  if (unknown !== undefined) {
    return {
      code: 'unknown_event',
      message: `events: "${unknown.slice(0, 100)}" is not an event type; known: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
      event: unknown,
    };
  }
  return null;
}
