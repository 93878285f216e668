import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { isAuthorized } from './auth.ts';
import type { TwilioEmulator } from './emulator.ts';
import { errors, type TwilioError } from './errors.ts';
import { messageJson } from './message.ts';
import { listPage } from './paging.ts';

const BASE = '/2010-04-01/Accounts/:AccountSid';

interface AccountParams {
  AccountSid: string;
}

/** Flattens a parsed form or query: repeated keys keep their first value. */
export function flatten(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof input !== 'object' || input === null) return out;
  for (const [key, value] of Object.entries(input)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[key] = first;
    else if (typeof first === 'number' || typeof first === 'boolean') out[key] = String(first);
  }
  return out;
}

function fail(reply: FastifyReply, error: TwilioError): FastifyReply {
  return reply.code(error.status).send(error);
}

/** The Twilio Messages API: create, fetch and list, behind Basic auth. */
export function twilioRoutes(app: FastifyInstance, ctx: SandboxContext, twilio: TwilioEmulator) {
  const guard = async (request: FastifyRequest<{ Params: AccountParams }>, reply: FastifyReply) => {
    if (!isAuthorized(ctx.settings, request.headers.authorization)) {
      await reply
        .header('WWW-Authenticate', 'Basic realm="Twilio API"')
        .code(401)
        .send(errors.authenticate());
      return;
    }
    if (request.params.AccountSid !== ctx.settings.accountSid) {
      await fail(reply, errors.notFound(request.url.split('?')[0] ?? request.url));
    }
  };

  app.post<{ Params: AccountParams }>(
    `${BASE}/Messages.json`,
    { preHandler: guard },
    (req, reply) => {
      const result = twilio.create(flatten(req.body));
      if (!result.ok) return fail(reply, result.error);
      return reply.code(201).send(messageJson(result.message));
    },
  );

  app.get<{ Params: AccountParams }>(
    `${BASE}/Messages.json`,
    { preHandler: guard },
    (req, reply) => {
      const query = flatten(req.query);
      return reply.send(listPage(twilio.store, ctx.settings.accountSid, query));
    },
  );

  app.get<{ Params: AccountParams & { file: string } }>(
    `${BASE}/Messages/:file`,
    { preHandler: guard },
    (req, reply) => {
      const sid = req.params.file.replace(/\.json$/, '');
      const message = twilio.store.get(sid);
      if (message === undefined) return fail(reply, errors.notFound(req.url));
      return reply.send(messageJson(message));
    },
  );
}
