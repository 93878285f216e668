import { countSegments } from '../core/segments.ts';
import type { WaitReason } from '../core/wait-reason.ts';
import type { SendableMessage } from '../db/messages.ts';
import type { SendPolicy } from './send-policy.ts';

export interface Prepared {
  row: SendableMessage;
  body: string;
  segments: number;
  /** Media sent with the text (an MMS); empty for an SMS. */
  mediaUrls: readonly string[];
}

export interface Triage {
  ready: Prepared[];
  deferrals: { row: SendableMessage; at: Date; reason: WaitReason; detail: string | null }[];
  skips: { row: SendableMessage; reason: string }[];
}

/** What a row sends: a campaign step's template and media, or (null) the row's own text. */
export interface StepContent {
  template: string | null;
  mediaUrls: readonly string[];
}

/**
 * Which rows go now: opted-out and suppressed ones are skipped, those outside their window
 * deferred, and so are renders the template cannot complete or longer than the campaign's
 * `max_segments`.
 */
export function triage(
  rows: readonly SendableMessage[],
  policy: SendPolicy,
  content: StepContent,
  now: Date,
): Triage {
  const result: Triage = { ready: [], deferrals: [], skips: [] };
  for (const row of rows) {
    if (row.opted_out) {
      result.skips.push({ row, reason: 'opted_out' });
      continue;
    }
    if (row.suppressed) {
      result.skips.push({ row, reason: 'suppressed' });
      continue;
    }
    const window = policy.window(row, now);
    if (!window.open) {
      const { opensAt: at, reason, detail } = window;
      result.deferrals.push({ row, at, reason, detail });
      continue;
    }
    const rendered =
      content.template === null
        ? ({ ok: true, text: row.body ?? '' } as const)
        : policy.render(content.template, row.attributes);
    if (!rendered.ok) {
      result.skips.push({ row, reason: `template: ${rendered.message}` });
      continue;
    }
    const { segments } = countSegments(rendered.text);
    if (segments > policy.maxSegments) {
      result.skips.push({ row, reason: 'too_many_segments' });
      continue;
    }
    result.ready.push({
      row,
      body: rendered.text,
      segments,
      mediaUrls: row.media_urls ?? content.mediaUrls,
    });
  }
  return result;
}
