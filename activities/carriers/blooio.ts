import type { Config } from '../../config/env.ts';

export type BlooioProtocol = 'imessage' | 'sms' | 'rcs' | 'non-imessage';
export type BlooioMessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';

export interface BlooioSendRequest {
  /** E.164 phone, email, `grp_...` or comma-separated recipients; encoded here. */
  readonly chatId: string;
  readonly text: string | readonly string[];
  readonly fromNumber?: string;
  readonly idempotencyKey: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly attachments?: readonly (string | { url: string; name?: string })[];
  readonly useTypingIndicator?: boolean;
}

export interface BlooioAccepted {
  readonly messageIds: readonly string[];
  readonly fromNumber: string | undefined;
  readonly protocol: BlooioProtocol | undefined;
  readonly groupId: string | undefined;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** 202 accepted, 200 duplicate (idempotency key seen: the original response), or a refusal. */
export type BlooioSendResult =
  | ({ readonly kind: 'accepted'; readonly status: 202 } & BlooioAccepted)
  | ({ readonly kind: 'duplicate'; readonly status: 200 } & BlooioAccepted)
  | { readonly kind: 'rejected'; readonly status: 400 | 403 | 404; readonly error: string }
  | { readonly kind: 'unauthorized'; readonly status: 401; readonly error: string }
  | { readonly kind: 'unavailable'; readonly status: 503; readonly error: string }
  | { readonly kind: 'failed'; readonly status: number; readonly error: string };

export interface BlooioStatus {
  readonly messageId: string;
  readonly status: BlooioMessageStatus;
  readonly protocol: BlooioProtocol | undefined;
  readonly error: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

export type BlooioStatusResult =
  | { readonly kind: 'found'; readonly message: BlooioStatus }
  | { readonly kind: 'not_found'; readonly status: 404; readonly error: string }
  | { readonly kind: 'failed'; readonly status: number; readonly error: string };

export interface BlooioClient {
  sendMessage(request: BlooioSendRequest): Promise<BlooioSendResult>;
  getStatus(chatId: string, messageId: string): Promise<BlooioStatusResult>;
}

export type BlooioClientConfig = Pick<Config, 'BLOOIO_API_KEY' | 'blooioBaseUrl'> &
  Partial<Pick<Config, 'CARRIER_TIMEOUT_SECONDS'>>;

/** A typed Blooio v2 client over fetch (undici: keep-alive connection pooling by default). */
export function createBlooioClient(config: BlooioClientConfig): BlooioClient {
  const base = config.blooioBaseUrl.replace(/\/+$/, '');
  const headers = { Authorization: `Bearer ${config.BLOOIO_API_KEY}`, Accept: 'application/json' };
  const chatUrl = (chatId: string) => `${base}/chats/${encodeURIComponent(chatId)}/messages`;
  // A hung request ends (and throws, for the caller's retry policy) well before its heartbeat
  // timeout; a send retried after a lost answer is safe: it carries its Idempotency-Key.
  const timeoutMs = (config.CARRIER_TIMEOUT_SECONDS ?? 5) * 1000;

  return {
    async sendMessage(request) {
      const response = await fetch(chatUrl(request.chatId), {
        signal: AbortSignal.timeout(timeoutMs),
        method: 'POST',
        headers: {
          ...headers,
          'Content-Type': 'application/json',
          'Idempotency-Key': request.idempotencyKey,
        },
        body: JSON.stringify({
          text: request.text,
          ...(request.fromNumber === undefined ? {} : { from_number: request.fromNumber }),
          ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
          ...(request.attachments === undefined ? {} : { attachments: request.attachments }),
          ...(request.useTypingIndicator === undefined
            ? {}
            : { use_typing_indicator: request.useTypingIndicator }),
        }),
      });
      const body = await readJson(response);
      const error = errorText(body, response);
      switch (response.status) {
        case 202:
          return { kind: 'accepted', status: 202, ...accepted(body) };
        case 200:
          return { kind: 'duplicate', status: 200, ...accepted(body) };
        case 400:
        case 403:
        case 404:
          return { kind: 'rejected', status: response.status, error };
        case 401:
          return { kind: 'unauthorized', status: 401, error };
        case 503:
          return { kind: 'unavailable', status: 503, error };
        default:
          return { kind: 'failed', status: response.status, error };
      }
    },

    async getStatus(chatId, messageId) {
      const url = `${chatUrl(chatId)}/${encodeURIComponent(messageId)}/status`;
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      const body = await readJson(response);
      if (response.status === 404) {
        return { kind: 'not_found', status: 404, error: errorText(body, response) };
      }
      if (!response.ok) {
        return { kind: 'failed', status: response.status, error: errorText(body, response) };
      }
      return {
        kind: 'found',
        message: {
          messageId: stringField(body, 'message_id') ?? messageId,
          status: statusField(body),
          protocol: protocolField(body),
          error: stringField(body, 'error') ?? null,
          raw: body,
        },
      };
    },
  };
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (text === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? Object.fromEntries(Object.entries(parsed))
      : {};
  } catch {
    return { error: text };
  }
}

function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

function errorText(body: Record<string, unknown>, response: Response): string {
  return stringField(body, 'error') ?? stringField(body, 'message') ?? response.statusText;
}

const PROTOCOLS: readonly BlooioProtocol[] = ['imessage', 'sms', 'rcs', 'non-imessage'];
const STATUSES: readonly BlooioMessageStatus[] = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
];

function protocolField(body: Record<string, unknown>): BlooioProtocol | undefined {
  return PROTOCOLS.find((protocol) => protocol === body.protocol);
}

function statusField(body: Record<string, unknown>): BlooioMessageStatus {
  return STATUSES.find((status) => status === body.status) ?? 'queued';
}

function accepted(body: Record<string, unknown>): BlooioAccepted {
  const single = stringField(body, 'message_id');
  const many = Array.isArray(body.message_ids)
    ? body.message_ids.filter((id): id is string => typeof id === 'string')
    : [];
  return {
    messageIds: single === undefined ? many : [single],
    fromNumber: stringField(body, 'from_number'),
    protocol: protocolField(body),
    groupId: stringField(body, 'group_id'),
    raw: body,
  };
}
