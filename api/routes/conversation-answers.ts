import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  agentAnswerKey,
  agentAnswerProblem,
  IDEMPOTENCY_KEY_REUSED,
  sameAnswer,
  type AgentAnswer,
} from '../../core/conversation-contracts.ts';
import { answerRefusal } from '../answer-errors.ts';
import { findByContactKey } from '../contact-key.ts';
import { sendAnswer } from '../conversation-signals.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { answerBody, answerHeaders, answerView, contactParams } from './inbox-schemas.ts';

/**
 * `POST /v1/conversations/:contact/messages`: an agent answers from the contact's sticky Blooio
 * line, through the contact's conversation workflow. 201 with the stored message (its Blooio
 * id once accepted; `retrying` while Blooio has no number available, which the conversation
 * retries without the caller waiting); 200 with the first message for a repeated key.
 */
export const conversationAnswerRoutes: FastifyPluginAsyncZod<ApiDeps> = async (
  app,
  { db, config, temporal },
) => {
  app.post(
    '/conversations/:contact/messages',
    {
      // The conversation workflow keeps this route's key promise end to end (the Update's id).
      config: { idempotency: 'route' },
      schema: {
        params: contactParams,
        headers: answerHeaders,
        body: answerBody,
        response: { 200: answerView, 201: answerView },
      },
    },
    async (request, reply) => {
      const key = request.params.contact;
      const contact = await findByContactKey(key, config.DEFAULT_COUNTRY, (found) =>
        db
          .selectFrom('contacts')
          .select(['id', 'opted_out_at'])
          .$if('id' in found, (q) => q.where('id', '=', 'id' in found ? found.id : '0'))
          .$if('phone' in found, (q) => q.where('phone', '=', 'phone' in found ? found.phone : ''))
          .executeTakeFirst(),
      );
      if (contact === undefined) throw notFound('Contact', key);
      if (contact.opted_out_at !== null)
        throw new ApiError(
          409,
          'contact_opted_out',
          `Contact ${contact.id} opted out: no message may be sent to them`,
        );
      const answer = {
        text: request.body.text,
        mediaUrls: request.body.media_urls,
        idempotencyKey: request.headers['idempotency-key'] ?? randomUUID(),
        author: request.body.author ?? null,
      };
      const problem = agentAnswerProblem(answer);
      if (problem !== null) throw new ApiError(400, 'invalid_request', problem);
      // A repeat the conversation answers from its memory of the first Update says nothing of
      // it: whether the key was used before is the stored message's to tell.
      const usedBefore = await db
        .selectFrom('conversation_messages as cm')
        .innerJoin('conversations as cv', 'cv.id', 'cm.conversation_id')
        .select(['cm.body', 'cm.media_urls', 'cv.contact_id'])
        .where('cm.idempotency_key', '=', agentAnswerKey(answer.idempotencyKey))
        .executeTakeFirst();
      if (
        usedBefore !== undefined &&
        (usedBefore.contact_id !== contact.id || !sameAnswer(usedBefore, answer))
      )
        throw new ApiError(422, 'idempotency_key_reused', IDEMPOTENCY_KEY_REUSED);
      let sent: AgentAnswer;
      try {
        sent = await sendAnswer(temporal, config, contact.id, answer);
      } catch (error) {
        throw answerRefusal(error) ?? error;
      }
      const replayed = sent.replayed || usedBefore !== undefined;
      return reply.status(replayed ? 200 : 201).send({
        message: {
          id: sent.id,
          idempotency_key: answer.idempotencyKey,
          status: sent.status,
          blooio_message_id: sent.providerSid,
          from: sent.from,
          to: sent.to,
          text: sent.body,
          media_urls: sent.mediaUrls,
          protocol: sent.protocol,
          author: sent.author,
          error: sent.error,
          created_at: sent.createdAt,
        },
        replayed,
      });
    },
  );
};
