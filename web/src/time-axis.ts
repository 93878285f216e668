/**
 * Labels for a chart's time axis that a person reads at a glance, for a campaign of ten
 * seconds as for one of ten weeks: whole seconds at the finest (uPlot's own ticks go down to
 * milliseconds, and a campaign that finished in seconds read ":00.000 … :10.000"), hours and
 * minutes on a 24-hour clock, and the date under the first tick and under each new day's.
 */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The spacings, in seconds, the axis may put between its ticks: never less than a second. */
export const TIME_AXIS_INCREMENTS = [
  1,
  2,
  5,
  10,
  15,
  30,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  28 * DAY,
  91 * DAY,
  182 * DAY,
  365 * DAY,
];

/** Where the labels are read: the browser's locale and time zone unless given. */
export interface TimeAxisPlace {
  locale?: string;
  timeZone?: string;
}

/** One label per tick (seconds since the epoch), for ticks `incrementSeconds` apart. */
export function timeAxisLabels(
  ticks: readonly number[],
  incrementSeconds: number,
  place: TimeAxisPlace = {},
): string[] {
  const date = formatter(
    place,
    incrementSeconds >= 28 * DAY
      ? { month: 'short', year: 'numeric' }
      : { month: 'short', day: 'numeric' },
  );
  if (incrementSeconds >= DAY) return ticks.map((tick) => date.format(tick * 1000));
  const clock = formatter(place, {
    hour: '2-digit',
    minute: '2-digit',
    ...(incrementSeconds < MINUTE ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  });
  let previousDay: string | null = null;
  return ticks.map((tick) => {
    const day = date.format(tick * 1000);
    const time = clock.format(tick * 1000);
    const newDay = day !== previousDay;
    previousDay = day;
    return newDay ? `${time}\n${day}` : time;
  });
}

/** In the place's locale, or en-US when it names one Intl cannot use (e.g. `en-US@posix`). */
function formatter(place: TimeAxisPlace, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const zoned = {
    ...options,
    ...(place.timeZone === undefined ? {} : { timeZone: place.timeZone }),
  };
  try {
    return new Intl.DateTimeFormat(place.locale, zoned);
  } catch {
    return new Intl.DateTimeFormat('en-US', zoned);
  }
}
