import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { passFaultGate } from '../faults/gate.ts';
import { isAuthorized } from './auth.ts';
import type { TwilioEmulator } from './emulator.ts';
import { errors, faultError, type TwilioError } from './errors.ts';
import {
  incomingNumberJson,
  incomingNumberSid,
  incomingNumbersPage,
  updateIncomingNumber,
} from './incoming-numbers.ts';
import { parseListFilter } from './list-filter.ts';
import { mediaUrlsOf } from './media.ts';
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

/**
 * The Twilio Messages API (create through the fault gate, fetch, list) and the account's
 * IncomingPhoneNumbers (list, fetch, update of the SMS webhook), behind Basic auth.
 */
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
      const params = flatten(req.body);
      const checked = twilio.check(params, mediaUrlsOf(req.body));
      if (!checked.ok) {
        ctx.ledger.refuse({
          channel: 'sms',
          from: params.From?.trim() ?? '',
          to: params.To?.trim() ?? '',
          status: checked.error.status,
          code: checked.error.code,
          message: checked.error.message,
          at: new Date().toISOString(),
        });
        fail(reply, checked.error);
        return;
      }
      passFaultGate(ctx, reply, {
        carrier: 'twilio',
        sender: checked.send.from,
        accept: () => twilio.accept(checked.send),
        answer: (message) => void reply.code(201).send(messageJson(message)),
        errorBody: faultError,
      });
    },
  );

  app.get<{ Params: AccountParams }>(
    `${BASE}/Messages.json`,
    { preHandler: guard },
    (req, reply) => {
      const query = flatten(req.query);
      const filter = parseListFilter(query);
      if (!filter.ok) return fail(reply, filter.error);
      return reply.send(listPage(twilio.store, ctx.settings.accountSid, query, filter.filter));
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

  const numberBySid = (sid: string) =>
    [...ctx.settings.numbers.values()].find(
      (number) => incomingNumberSid(ctx.settings.accountSid, number.phoneNumber) === sid,
    );

  app.get<{ Params: AccountParams }>(
    `${BASE}/IncomingPhoneNumbers.json`,
    { preHandler: guard },
    (req, reply) =>
      reply.send(
        incomingNumbersPage(
          ctx.settings.accountSid,
          [...ctx.settings.numbers.values()],
          flatten(req.query),
          (phone) => twilio.numberCreatedAt(phone),
        ),
      ),
  );

  app.get<{ Params: AccountParams & { file: string } }>(
    `${BASE}/IncomingPhoneNumbers/:file`,
    { preHandler: guard },
    (req, reply) => {
      const number = numberBySid(req.params.file.replace(/\.json$/, ''));
      if (number === undefined) return fail(reply, errors.notFound(req.url));
      const created = twilio.numberCreatedAt(number.phoneNumber);
      return reply.send(incomingNumberJson(ctx.settings.accountSid, number, created));
    },
  );

  app.post<{ Params: AccountParams & { file: string } }>(
    `${BASE}/IncomingPhoneNumbers/:file`,
    { preHandler: guard },
    (req, reply) => {
      const number = numberBySid(req.params.file.replace(/\.json$/, ''));
      if (number === undefined) return fail(reply, errors.notFound(req.url));
      const updated = updateIncomingNumber(number, flatten(req.body));
      if (!updated.ok) return fail(reply, updated.error);
      ctx.settings.numbers.set(number.phoneNumber, updated.number);
      const created = twilio.numberCreatedAt(number.phoneNumber);
      return reply.send(incomingNumberJson(ctx.settings.accountSid, updated.number, created));
    },
  );
}
