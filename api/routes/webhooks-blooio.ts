import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { BLOOIO_SIGNATURE_HEADER, verifyBlooioWebhook } from '../../core/blooio-signature.ts';
import { carrierEventTime } from '../../core/carrier-event-time.ts';
import { applyBlooioStatuses } from '../../db/conversation-messages.ts';
import { retryTransaction } from '../../db/retry.ts';
import { signalConversationEvent } from '../conversation-signals.ts';
import { ApiError } from '../errors.ts';
import { groupCommit } from '../group-commit.ts';
import type { WebhookDeps } from './webhook-deps.ts';

const statusEvent = z.object({
  event: z.literal('message.status'),
  message_id: z.string().min(1),
  status: z.string().min(1),
  protocol: z.string().nullish(),
  error: z.string().nullish(),
  /** When it happened (Blooio: Unix ms): the webhook lag metric's start. */
  timestamp: z.unknown().optional(),
});

const receivedEvent = z.object({
  event: z.literal('message.received'),
  message_id: z.string().min(1),
  external_id: z.string().min(1),
  internal_id: z.string().min(1),
  protocol: z.string().nullish(),
  text: z.string().default(''),
  timestamp: z.unknown().optional(),
});

const blooioEvent = z.discriminatedUnion('event', [statusEvent, receivedEvent]);

/**
 * Blooio webhooks: the signature is checked over the raw JSON body before anything is parsed,
 * so the plugin takes JSON as a buffer (scoped to this plugin only).
 */
export const blooioWebhook: FastifyPluginAsync<WebhookDeps> = async (app, deps) => {
  const { db, config, temporal, recordReply, metrics } = deps;
  // One statement storing a batch's events and updating their messages: against another
  // batch (another API process) it can be the deadlock victim, and runs again rather than
  // answer 500.
  const applyStatus = groupCommit((events: Parameters<typeof applyBlooioStatuses>[1]) =>
    retryTransaction(() => applyBlooioStatuses(db, events)),
  );
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });

  app.post('/blooio', async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = request.headers[BLOOIO_SIGNATURE_HEADER];
    const check = verifyBlooioWebhook({
      secret: config.BLOOIO_WEBHOOK_SECRET,
      rawBody: raw,
      header: typeof header === 'string' ? header : undefined,
    });
    if (!check.ok) {
      throw new ApiError(403, 'invalid_signature', `X-Blooio-Signature is ${check.reason}`);
    }
    const parsed = blooioEvent.safeParse(parseJson(raw));
    if (!parsed.success) {
      // Signed but of a kind tandem does not handle (e.g. a new event type): acknowledged.
      return reply.status(204).send();
    }
    const event = parsed.data;
    const happenedAt = carrierEventTime(event.timestamp);
    if (happenedAt !== null)
      metrics.webhookLag('blooio', event.event, (Date.now() - happenedAt.getTime()) / 1000);
    if (event.event === 'message.status') {
      // Stored and applied here; the conversation reads statuses from the database when it
      // checks for missing ones, so a status wakes no workflow (most answers get two or three).
      await applyStatus({
        messageId: event.message_id,
        status: event.status,
        protocol: event.protocol ?? null,
        error: event.error ?? null,
        payload: { ...event },
      });
      return reply.status(204).send();
    }
    const outcome = await recordReply({
      provider: 'blooio',
      sid: event.message_id,
      from: event.external_id,
      to: event.internal_id,
      body: event.text,
      protocol: event.protocol ?? null,
    });
    if (outcome.contactId !== null) {
      await signalConversationEvent(temporal, config, outcome.contactId, {
        kind: 'received',
        inboundMessageId: outcome.inboundId,
        classification: outcome.classification,
        protocol: event.protocol ?? null,
        confirmOptOut: outcome.optedOut && outcome.reply !== null && !outcome.duplicate,
      });
    }
    return reply.status(204).send();
  });
};

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not JSON');
  }
}
