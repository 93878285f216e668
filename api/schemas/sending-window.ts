import { z } from 'zod';
import { DEFAULT_WINDOW, effectiveWindow } from '../../core/quiet-hours.ts';

/**
 * The sending window: the local hours (the recipient's time zone, from their number) in which
 * a campaign may text someone; it was called `quiet_hours`, which still works as input. It is
 * one range within a day, start before end: a window across midnight (20:00–02:00) would
 * text people at night, which the federal 08:00–21:00 rule forbids for US recipients anyway,
 * and an empty or inverted one would leave a campaign running without ever sending.
 *
 * The legal floor (core/legal-floor.ts): a window wider than the federal 08:00–21:00 is accepted
 * and clamped, and the campaign view says so (`legal_floor.clamped`); a window with nothing
 * inside 08:00–21:00 (21:00–24:00) could never send, and is refused.
 */

const CLOCK = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const clock = z.string().regex(CLOCK, 'expected HH:MM, from 00:00 to 24:00');

const minutes = (value: string) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));

export interface SendingWindow {
  start: string;
  end: string;
}

export const sendingWindowSchema = z
  .object({
    start: clock.describe('First local minute messages may go, HH:MM (inclusive)'),
    end: clock.describe('Local time sending stops, HH:MM (exclusive; 24:00 = midnight)'),
  })
  .superRefine((window, ctx) => {
    // Zod runs this even when a time failed its own check (already reported).
    if (!CLOCK.test(window.start) || !CLOCK.test(window.end)) return;
    if (minutes(window.start) >= minutes(window.end)) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `the sending window starts at ${window.start} but ends at ${window.end}: start must be before end, within one day (a window across midnight would text people at night)`,
      });
      return;
    }
    if (effectiveWindow(window) !== null) return;
    ctx.addIssue({
      code: 'custom',
      path: ['start'],
      message: `the sending window ${window.start}–${window.end} is entirely outside 08:00–21:00, the hours federal law allows (TCPA, 47 CFR 64.1200(c)(1)): no message could ever be sent`,
    });
  });

const DESCRIPTION =
  "Local hours (each recipient's own time zone) in which messages may be sent; 08:00–21:00 by default. A wider window is accepted and clamped to the federal 08:00–21:00 (see legal_floor in the campaign view); state rules narrow it further.";

export const sendingWindowFields = {
  sending_window: sendingWindowSchema.optional().describe(DESCRIPTION),
  quiet_hours: sendingWindowSchema
    .optional()
    .describe('Deprecated: the former name of sending_window (same meaning)')
    .meta({ deprecated: true }),
};

export const sendingWindowView = z
  .object({ start: z.string(), end: z.string() })
  .describe(
    "Local hours (each recipient's own time zone) in which messages may be sent, as requested",
  );

const clockWindow = z.object({ start: z.string(), end: z.string() });

export const legalFloorView = z
  .object({
    federal: clockWindow
      .extend({ source: z.string() })
      .describe('The federal window every message obeys, recipient-local: 08:00–21:00'),
    effective: clockWindow
      .nullable()
      .describe('The requested window narrowed to the federal one (state rules narrow it further)'),
    clamped: z
      .boolean()
      .describe('True when the requested window was wider than the law allows and was narrowed'),
    state_rules: z
      .array(
        z.object({
          state: z.string(),
          weekdays: clockWindow,
          saturday: clockWindow
            .nullable()
            .optional()
            .describe('Absent: as on weekdays; null: no messages on Saturdays'),
          sunday: clockWindow
            .nullable()
            .optional()
            .describe('Absent: as on weekdays; null: no messages on Sundays'),
          holidays: z
            .array(z.string())
            .describe('Legal holidays on which no message goes (dates computed each year)'),
          source: z.string().nullable(),
        }),
      )
      .describe("Stricter state rules, applied to each recipient of that state (their number's)"),
  })
  .describe(
    'The legal floor: the federal window always applies, a wider request is clamped to it, and stricter state rules narrow it per recipient',
  );

interface WithWindow {
  sending_window?: SendingWindow | undefined;
  quiet_hours?: SendingWindow | undefined;
}

export const sendingWindowInput = {
  /** Both names given with different windows is a mistake worth telling. */
  check(value: WithWindow, ctx: z.RefinementCtx): void {
    const { sending_window: window, quiet_hours: alias } = value;
    if (window === undefined || alias === undefined) return;
    if (window.start === alias.start && window.end === alias.end) return;
    ctx.addIssue({
      code: 'custom',
      path: ['quiet_hours'],
      message:
        'quiet_hours is the deprecated name of sending_window: give one of them, not both with different hours',
    });
  },
  /** The input with one `sending_window` (the alias's value, or the default). */
  resolve<T extends WithWindow>(
    value: T,
  ): Omit<T, 'sending_window' | 'quiet_hours'> & { sending_window: SendingWindow } {
    const { sending_window: window, quiet_hours: alias, ...rest } = value;
    return { ...rest, sending_window: window ?? alias ?? { ...DEFAULT_WINDOW } };
  },
};
