import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { changeConversation, conversationState, type InboxChange } from '../../db/inbox.ts';
import { findByContactKey } from '../contact-key.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { assignBody, contactParams, conversationState as stateView } from './inbox-schemas.ts';

/**
 * An agent's changes to a conversation: mark it read, assign it (or unassign with null),
 * close it and reopen it. Each answers with the conversation's inbox state.
 */
export const conversationActionRoutes: FastifyPluginAsyncZod<ApiDeps> = async (
  app,
  { db, config },
) => {
  const apply = async (key: string, change: InboxChange) => {
    const found = await findByContactKey(key, config.DEFAULT_COUNTRY, (contact) =>
      conversationState(db, contact),
    );
    if (found === undefined) throw notFound('Conversation of contact', key);
    await changeConversation(db, found.contact_id, change);
    const state = await conversationState(db, { id: found.contact_id });
    if (state === undefined) throw notFound('Conversation of contact', key);
    return { ...state, last_read_at: state.last_read_at?.toISOString() ?? null };
  };
  const schema = { params: contactParams, response: { 200: stateView } };

  app.post('/conversations/:contact/read', { schema }, async (request) =>
    apply(request.params.contact, { kind: 'read', at: new Date() }),
  );
  app.post(
    '/conversations/:contact/assign',
    { schema: { ...schema, body: assignBody } },
    async (request) =>
      apply(request.params.contact, { kind: 'assign', agent: request.body.agent, at: new Date() }),
  );
  app.post('/conversations/:contact/close', { schema }, async (request) =>
    apply(request.params.contact, { kind: 'close', at: new Date() }),
  );
  app.post('/conversations/:contact/reopen', { schema }, async (request) =>
    apply(request.params.contact, { kind: 'reopen', at: new Date() }),
  );
};
