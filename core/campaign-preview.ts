/**
 * How many of a campaign's audience would be texted now, and why the others would not.
 * Every contact counts once, by the first reason the send pipeline would meet: already
 * messaged by this campaign, opted out, in an excluded audience, left out by the filter,
 * suppressed, outside their sending window now, a template variable without a value
 * (`invalid`), at the frequency cap, and no number of the pool able to send now (`no_sender`).
 * The first five and `invalid` are skips; the last three wait (the campaign sends later).
 */

export const PREVIEW_REASONS = [
  'already_messaged',
  'opted_out',
  'excluded_audience',
  'filtered_out',
  'suppressed',
  'outside_window',
  'invalid',
  'frequency_capped',
  'no_sender',
] as const;
export type PreviewReason = (typeof PREVIEW_REASONS)[number];

/** Reasons decided before the window is looked at; the rest come after it (see above). */
const BEFORE_WINDOW: ReadonlySet<PreviewReason> = new Set([
  'already_messaged',
  'opted_out',
  'excluded_audience',
  'filtered_out',
  'suppressed',
]);

export interface ReasonGroup {
  /** The first reason found per contact without looking at the window or the pool; null: none. */
  reason: PreviewReason | null;
  time_zone: string | null;
  region: string | null;
  n: number;
}

export interface PreviewCounts {
  audience: number;
  would_text: number;
  not_texted: Record<PreviewReason, number>;
}

export function previewCounts(
  groups: readonly ReasonGroup[],
  windowOpen: (recipient: { time_zone: string | null; region: string | null }) => boolean,
  poolCanSendNow: boolean,
): PreviewCounts {
  const notTexted: Record<PreviewReason, number> = {
    already_messaged: 0,
    opted_out: 0,
    excluded_audience: 0,
    filtered_out: 0,
    suppressed: 0,
    outside_window: 0,
    invalid: 0,
    frequency_capped: 0,
    no_sender: 0,
  };
  let audience = 0;
  let wouldText = 0;
  for (const group of groups) {
    audience += group.n;
    let reason = group.reason;
    if (reason === null || !BEFORE_WINDOW.has(reason)) {
      if (!windowOpen(group)) reason = 'outside_window';
    }
    if (reason === null && !poolCanSendNow) reason = 'no_sender';
    if (reason === null) wouldText += group.n;
    else notTexted[reason] += group.n;
  }
  return { audience, would_text: wouldText, not_texted: notTexted };
}
