import { checkQuietHours } from '../core/quiet-hours.ts';
import { MAX_SEGMENTS_LIMIT } from '../core/segments.ts';
import { renderTemplate, type RenderResult } from '../core/template.ts';
import type { WaitReason } from '../core/wait-reason.ts';
import type { SendableMessage } from '../db/messages.ts';
import type { QuietHours } from '../db/tables.ts';

export type WindowCheck =
  | { open: true }
  /** `detail`: the holiday or ban a legal-day wait is for (null for quiet hours). */
  | { open: false; opensAt: Date; reason: WaitReason; detail: string | null };

/**
 * The per-recipient rules a send obeys: their sending window (the campaign's, clamped to the
 * legal floor, with their state's hours, Sundays and holidays), and the rendered text.
 */
export interface SendPolicy {
  window(row: Pick<SendableMessage, 'time_zone' | 'region'>, now: Date): WindowCheck;
  render(template: string, attributes: Record<string, string>): RenderResult;
  /** A rendered message longer than this is not sent (`too_many_segments`). */
  maxSegments: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function campaignSendPolicy(
  quietHours: QuietHours,
  defaultTimeZone: string,
  maxSegments = MAX_SEGMENTS_LIMIT,
): SendPolicy {
  return {
    maxSegments,
    window(row, now) {
      const check = checkQuietHours(
        now.getTime(),
        { timeZone: row.time_zone, region: row.region },
        { window: quietHours, fallbackTimeZones: [defaultTimeZone] },
      );
      if (check.allowed) return { open: true };
      return {
        open: false,
        opensAt: new Date(check.opensAt ?? now.getTime() + DAY_MS),
        reason: check.because,
        detail: check.because === 'quiet_hours' ? null : check.reason,
      };
    },
    render: (template, attributes) => renderTemplate(template, attributes),
  };
}
