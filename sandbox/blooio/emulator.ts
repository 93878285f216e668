import type { BlooioInboundInput, BlooioKey } from '../config.ts';
import type { SandboxContext } from '../context.ts';
import { draw, randomHex } from '../random.ts';
import { planReply, ReplyMemory } from '../replies.ts';
import { parseChatId, type ChatTarget } from './chat-id.ts';
import { GroupRegistry } from './groups.ts';
import { runBlooioLifecycle } from './lifecycle.ts';
import { blooioError, type BlooioMessage, type HttpResult, type Protocol } from './message.ts';
import { PoolSelector } from './pools.ts';
import { parseSendBody } from './request.ts';
import { postBlooioEvent } from './webhooks.ts';

export interface SendInput {
  readonly apiKey: string;
  /** The chat id exactly as it appeared in the request path (still URL-encoded). */
  readonly rawChatId: string;
  readonly body: unknown;
  readonly idempotencyKey?: string | undefined;
}

interface Recipients {
  readonly recipients: readonly string[];
  readonly groupId: string | undefined;
  readonly created: boolean;
}

/** A send that passed every check, with its line chosen: what `accept` needs. */
export interface PreparedSend {
  readonly key: BlooioKey;
  readonly chatId: string;
  /** The chat, or the group a multi-recipient chat resolved to: what the line sticks to. */
  readonly contact: string;
  readonly target: Recipients;
  readonly fromNumber: string;
  readonly protocol: Protocol;
  readonly texts: readonly string[];
  /** The attachments' URLs (plain or named), sent with the first message. */
  readonly attachments: readonly string[];
  readonly metadata: Record<string, unknown> | undefined;
  readonly idempotencyKey: string | undefined;
}

export type PrepareResult =
  | { readonly ok: true; readonly send: PreparedSend }
  | { readonly ok: false; readonly answer: HttpResult };

function answer(result: HttpResult): PrepareResult {
  return { ok: false, answer: result };
}

/** The Blooio v2 emulator: sends, statuses, groups, sender pools, inbound and auto-replies. */
export class BlooioEmulator {
  readonly messages = new Map<string, BlooioMessage>();
  readonly groups = new GroupRegistry();
  readonly pools = new PoolSelector();
  readonly #idempotent = new Map<string, Record<string, unknown>>();
  readonly #sendCounts = new Map<string, number>();
  readonly #replies = new ReplyMemory();
  readonly #ctx: SandboxContext;

  constructor(ctx: SandboxContext) {
    this.#ctx = ctx;
  }

  /**
   * Checks a send and picks its line, creating no message and not yet sticking the contact to the
   * line (a new multi-recipient chat does get its group). Refusals and idempotent replays are
   * answered here.
   */
  prepare(input: SendInput): PrepareResult {
    const { settings } = this.#ctx;
    const key = settings.blooio.keys.get(input.apiKey);
    if (key === undefined) return answer(blooioError(401, 'Invalid or missing API key'));
    const idempotencyKey = input.idempotencyKey && `${input.apiKey}\u0000${input.idempotencyKey}`;
    const original = idempotencyKey ? this.#idempotent.get(idempotencyKey) : undefined;
    if (original !== undefined) return answer({ status: 200, body: original });

    const chat = parseChatId(input.rawChatId);
    if (!chat.ok) return answer(blooioError(chat.status, chat.error));
    const request = parseSendBody(input.body);
    if (!request.ok) return answer(blooioError(400, request.error));
    const target = this.#recipients(chat.target);
    if (target === undefined) return answer(blooioError(404, 'Chat or group not found'));
    const contact = target.groupId ?? chat.chatId;
    const unavailable = settings.blooio.unavailable;
    const selection = this.pools.choose(key, unavailable, contact, request.body.from_number);
    if (!selection.ok) return answer(blooioError(selection.status, selection.error));
    return {
      ok: true,
      send: {
        key,
        chatId: chat.chatId,
        contact,
        target,
        fromNumber: selection.number,
        protocol: this.#protocol(key.kind, chat.target),
        texts: request.texts,
        attachments: (request.body.attachments ?? []).map((item) =>
          typeof item === 'string' ? item : item.url,
        ),
        metadata: request.body.metadata,
        idempotencyKey: idempotencyKey || undefined,
      },
    };
  }

  /** Creates the prepared message(s), remembers the line and the idempotency key; 202. */
  accept(send: PreparedSend): HttpResult {
    const { key, target } = send;
    this.pools.commit(key, send.contact, send.fromNumber);
    const ids = send.texts.map(
      (text, index) =>
        this.#accept(
          key.key,
          send.contact,
          target.recipients,
          send.fromNumber,
          send.protocol,
          { text, attachments: index === 0 ? send.attachments : [] },
          send.metadata,
        ).id,
    );
    const response: Record<string, unknown> = {
      ...(ids.length === 1 ? { message_id: ids[0] } : { message_ids: ids }),
      status: 'queued',
      chat_id: send.chatId,
      from_number: send.fromNumber,
      protocol: send.protocol,
      ...(target.groupId === undefined
        ? {}
        : {
            group_id: target.groupId,
            group_created: target.created,
            participants: target.recipients,
          }),
    };
    if (send.idempotencyKey !== undefined) this.#idempotent.set(send.idempotencyKey, response);
    return { status: 202, body: response };
  }

  /** A message from a person (`from`) to one of our Blooio numbers (`to`). */
  receive(input: BlooioInboundInput): Record<string, unknown> {
    const owner = [...this.#ctx.settings.blooio.keys.values()].find((key) =>
      key.numbers.includes(input.to),
    );
    if (owner !== undefined && owner.kind === 'blooio')
      this.pools.remember(owner.key, input.from, input.to);
    const event = {
      event: 'message.received',
      message_id: `msg_${randomHex(10)}`,
      external_id: input.from,
      internal_id: input.to,
      protocol: input.protocol ?? 'imessage',
      text: input.text,
      sender: input.from,
      is_group: false,
      timestamp: Date.now(),
    };
    postBlooioEvent(this.#ctx, event);
    return event;
  }

  clear(): void {
    this.messages.clear();
    this.groups.clear();
    this.pools.clear();
    this.#idempotent.clear();
    this.#sendCounts.clear();
    this.#replies.clear();
  }

  #recipients(target: ChatTarget): Recipients | undefined {
    if (target.kind === 'phone' || target.kind === 'email') {
      return { recipients: target.recipients, groupId: undefined, created: false };
    }
    if (target.kind === 'group') {
      const participants = this.groups.participants(target.groupId);
      if (participants === undefined) return undefined;
      return { recipients: participants, groupId: target.groupId, created: false };
    }
    const { groupId, created } = this.groups.resolve(target.recipients);
    return { recipients: target.recipients, groupId, created };
  }

  #protocol(kind: 'blooio' | 'twilio', target: ChatTarget): Protocol {
    if (kind === 'twilio') return 'sms';
    if (target.kind !== 'phone') return 'imessage';
    const { seed, blooio } = this.#ctx.settings;
    return draw(seed, 'imessage', target.recipients[0]) < blooio.imessageShare ? 'imessage' : 'sms';
  }

  #accept(
    apiKey: string,
    chatId: string,
    recipients: readonly string[],
    fromNumber: string,
    protocol: Protocol,
    content: { text: string; attachments: readonly string[] },
    metadata: Record<string, unknown> | undefined,
  ): BlooioMessage {
    const { text, attachments } = content;
    const now = Date.now();
    const message: BlooioMessage = {
      id: `msg_${randomHex(10)}`,
      apiKey,
      chatId,
      recipients,
      fromNumber,
      protocol,
      text,
      attachments,
      metadata,
      createdAt: now,
      updatedAt: now,
      status: 'queued',
      error: null,
    };
    this.messages.set(message.id, message);
    const at = new Date(now).toISOString();
    for (const to of recipients) {
      this.#ctx.ledger.record({
        channel: 'imessage',
        sid: message.id,
        from: fromNumber,
        to,
        body: text,
        segments: 1,
        ...(attachments.length === 0 ? {} : { mediaUrls: attachments }),
        at,
      });
    }
    const countKey = `${fromNumber}\u0000${chatId}`;
    const sendIndex = this.#sendCounts.get(countKey) ?? 0;
    this.#sendCounts.set(countKey, sendIndex + 1);
    runBlooioLifecycle(this.#ctx, message, sendIndex, () => this.#maybeReply(message));
    return message;
  }

  #maybeReply(message: BlooioMessage): void {
    const [recipient] = message.recipients;
    if (message.recipients.length !== 1 || recipient === undefined) return;
    const { settings } = this.#ctx;
    const { replies } = settings.blooio;
    const plan = planReply(replies, settings.seed, recipient);
    if (plan === null || !this.#replies.claim(message.fromNumber, recipient, replies.repeat))
      return;
    this.#ctx.scheduler.at(plan.delayMs, () =>
      this.receive({
        from: recipient,
        to: message.fromNumber,
        text: plan.body,
        protocol: message.protocol === 'sms' ? 'sms' : 'imessage',
      }),
    );
  }
}
