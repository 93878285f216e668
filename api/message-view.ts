import { shownStatus, type SenderReason } from '../core/one-off.ts';
import type { Message } from '../db/tables.ts';

const SENDER_REASONS: readonly string[] = [
  'sticky',
  'geomatch_area_code',
  'geomatch_region',
  'weighted',
  'explicit',
] satisfies SenderReason[];

const isSenderReason = (value: string | null): value is SenderReason =>
  value !== null && SENDER_REASONS.includes(value);

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** A message as `GET /v1/messages/:id` and `POST /v1/messages` show it. */
export function messageView(message: Message, now: Date) {
  const status = shownStatus(message.status, message.next_attempt_at, message.wait_reason, now);
  const media = message.media_urls ?? [];
  return {
    id: message.id,
    campaign_id: message.campaign_id,
    pool_id: message.pool_id,
    to: message.to_phone,
    from: message.from_phone,
    sender_reason: isSenderReason(message.sender_reason) ? message.sender_reason : null,
    body: message.body,
    media_urls: media,
    num_media: media.length,
    segments: message.segments,
    status,
    deferred_until:
      message.provider_sid === null && message.wait_reason !== null
        ? iso(message.next_attempt_at)
        : null,
    wait_reason: message.wait_reason,
    wait_detail: message.wait_detail,
    error_code: message.error_code,
    skip_reason: message.skip_reason,
    attempts: message.attempts,
    provider_sid: message.provider_sid,
    created_at: message.created_at.toISOString(),
    updated_at: message.updated_at.toISOString(),
    sent_at: iso(message.sent_at),
    final_at: iso(message.final_at),
  };
}
