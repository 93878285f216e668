/**
 * The frequency cap across campaigns: at most `max` marketing texts per contact in any
 * rolling window of `days` (fractions allowed: 0.5 is twelve hours); `max` 0 means no cap.
 */
export interface FrequencyCap {
  max: number;
  days: number;
}

export const DEFAULT_FREQUENCY_CAP: FrequencyCap = { max: 3, days: 7 };

const DAY_MS = 24 * 60 * 60 * 1000;

/** The cap in force, or null when the campaign has none. */
export interface CapWindow {
  max: number;
  windowMs: number;
}

export function capWindow(cap: FrequencyCap): CapWindow | null {
  if (cap.max <= 0 || cap.days <= 0) return null;
  return { max: cap.max, windowMs: Math.round(cap.days * DAY_MS) };
}

export type CapCheck = { allowed: true } | { allowed: false; opensAt: Date };

/**
 * Whether one more text may go to a contact now, given when its earlier texts left tandem
 * (epoch ms; texts still in flight count as now). Over the cap, it opens once enough of
 * the counted texts have left the window for this one to be the `max`-th: the
 * (count − max + 1)-th oldest text's time plus the window.
 */
export function checkFrequencyCap(
  sentAtMs: readonly number[],
  cap: CapWindow,
  now: Date,
): CapCheck {
  const since = now.getTime() - cap.windowMs;
  const inWindow = sentAtMs.filter((at) => at > since).sort((a, b) => a - b);
  if (inWindow.length < cap.max) return { allowed: true };
  const leaving = inWindow[inWindow.length - cap.max] ?? now.getTime();
  return { allowed: false, opensAt: new Date(leaving + cap.windowMs) };
}
