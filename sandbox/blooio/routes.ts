import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { passFaultGate } from '../faults/gate.ts';
import { parseChatId } from './chat-id.ts';
import type { BlooioEmulator } from './emulator.ts';
import { blooioError, faultError, statusJson, type HttpResult } from './message.ts';

const CHAT_SEGMENT = /^\/v2\/api\/chats\/([^/?]+)\/messages/;

function bearer(request: FastifyRequest): string {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

/** The chat id as sent, before any decoding, so a raw `+` can be treated as Blooio does. */
function rawChatId(request: FastifyRequest): string {
  return CHAT_SEGMENT.exec(request.raw.url ?? '')?.[1] ?? '';
}

function send(reply: FastifyReply, result: HttpResult): FastifyReply {
  return reply.code(result.status).send(result.body);
}

/** The Blooio v2 API: send (through the fault gate) and read a status, with Bearer API keys. */
export function blooioRoutes(app: FastifyInstance, ctx: SandboxContext, blooio: BlooioEmulator) {
  app.post('/v2/api/chats/:chatId/messages', (request, reply) => {
    const idempotency = request.headers['idempotency-key'];
    const prepared = blooio.prepare({
      apiKey: bearer(request),
      rawChatId: rawChatId(request),
      body: request.body,
      idempotencyKey: typeof idempotency === 'string' ? idempotency : undefined,
    });
    if (!prepared.ok) {
      send(reply, prepared.answer);
      return;
    }
    passFaultGate(ctx, reply, {
      carrier: 'blooio',
      sender: prepared.send.fromNumber,
      accept: () => blooio.accept(prepared.send),
      answer: (result) => void send(reply, result),
      errorBody: faultError,
    });
  });

  app.get<{ Params: { messageId: string } }>(
    '/v2/api/chats/:chatId/messages/:messageId/status',
    (request, reply) => {
      const apiKey = bearer(request);
      if (!ctx.settings.blooio.keys.has(apiKey)) {
        return send(reply, blooioError(401, 'Invalid or missing API key'));
      }
      const chat = parseChatId(rawChatId(request));
      const message = blooio.messages.get(request.params.messageId);
      const chatMatches =
        chat.ok && (message?.chatId === chat.chatId || message?.recipients.includes(chat.chatId));
      if (message === undefined || message.apiKey !== apiKey || !chatMatches) {
        return send(reply, blooioError(404, 'Message not found'));
      }
      return reply.send(statusJson(message));
    },
  );
}
