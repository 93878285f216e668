import { effectiveWindow, formatClock, type QuietHoursWindow } from './quiet-hours.ts';
import { FEDERAL_SOURCE, FEDERAL_WINDOW, STATE_RULES } from './quiet-hours-rules.ts';
import type { StateRule, Window } from './quiet-hours-rules.ts';

/**
 * What the law does to a campaign's sending window, as the API shows it. Decision: a window
 * wider than the federal 08:00–21:00 is accepted and clamped (`clamped: true`), not refused;
 * every send decision applies the same floor (core/quiet-hours-rules.ts `windowFor`), and the
 * stricter state rules narrow it further for their residents (hours, Sundays, legal holidays).
 */

export interface ClockWindow {
  start: string;
  end: string;
}

export interface StateFloor {
  state: string;
  weekdays: ClockWindow;
  /** Absent: as on weekdays; null: no messages that day. */
  saturday?: ClockWindow | null;
  sunday?: ClockWindow | null;
  /** Names of the legal holidays on which no message goes (computed each year). */
  holidays: string[];
  source: string | null;
}

export interface LegalFloor {
  federal: ClockWindow & { source: string };
  /** The requested window narrowed to the federal one; null if nothing of it is left. */
  effective: ClockWindow | null;
  clamped: boolean;
  state_rules: StateFloor[];
}

const clock = (window: Window): ClockWindow => ({
  start: formatClock(window.start),
  end: formatClock(window.end),
});

function stateFloor(state: string, rule: StateRule): StateFloor {
  const floor: StateFloor = {
    state,
    weekdays: clock(rule.weekdays),
    holidays: (rule.holidays ?? []).map((holiday) => holiday.name),
    source: rule.source ?? null,
  };
  if (rule.saturday !== undefined) floor.saturday = rule.saturday && clock(rule.saturday);
  if (rule.sunday !== undefined) floor.sunday = rule.sunday && clock(rule.sunday);
  return floor;
}

export function legalFloor(requested: QuietHoursWindow): LegalFloor {
  const effective = effectiveWindow(requested);
  return {
    federal: { ...clock(FEDERAL_WINDOW), source: FEDERAL_SOURCE },
    effective,
    clamped:
      effective === null || effective.start !== requested.start || effective.end !== requested.end,
    state_rules: Object.entries(STATE_RULES).map(([state, rule]) => stateFloor(state, rule)),
  };
}
