import type { FaultStatus } from '../faults/effects.ts';
import { POOL_ERRORS } from './pools.ts';

export type Protocol = 'imessage' | 'sms' | 'rcs' | 'non-imessage';
export type BlooioStatus = 'queued' | 'sent' | 'delivered' | 'failed';

/** One outgoing Blooio message as the sandbox stores it. */
export interface BlooioMessage {
  readonly id: string;
  readonly apiKey: string;
  readonly chatId: string;
  readonly recipients: readonly string[];
  readonly fromNumber: string;
  readonly protocol: Protocol;
  readonly text: string;
  /** URLs of the attachments it carried. */
  readonly attachments: readonly string[];
  readonly metadata: Record<string, unknown> | undefined;
  readonly createdAt: number;
  status: BlooioStatus;
  updatedAt: number;
  error: string | null;
}

export interface HttpResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export function blooioError(status: number, error: string): HttpResult {
  return { status, body: { error, status } };
}

/**
 * A faulted send's answer, in Blooio's `{ error, status }` shape. Blooio documents 503 as "No
 * active number available"; it documents no 429 or 500, so those carry the HTTP reason.
 */
export function faultError(status: FaultStatus): Record<string, unknown> {
  const error = {
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: POOL_ERRORS.unavailable,
  }[status];
  return blooioError(status, error).body;
}

/** The body of `GET /chats/{chatId}/messages/{messageId}/status`. */
export function statusJson(message: BlooioMessage): Record<string, unknown> {
  return {
    message_id: message.id,
    chat_id: message.chatId,
    status: message.status,
    protocol: message.protocol,
    from_number: message.fromNumber,
    error: message.error,
    metadata: message.metadata ?? null,
    created_at: message.createdAt,
    updated_at: message.updatedAt,
  };
}
