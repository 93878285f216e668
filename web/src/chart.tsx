/**
 * A time-series chart (uPlot): x in seconds since the epoch, one line per series. It follows
 * its container's width, so it fits a phone as well as a desktop.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { TIME_AXIS_INCREMENTS, timeAxisLabels } from './time-axis.ts';

export interface Series {
  label: string;
  color: string;
  values: (number | null)[];
  /** Scale name: series on 'rate' are fractions shown as percentages. */
  scale?: 'count' | 'rate';
}

/**
 * `stepSeconds`: the bucket size, so the x axis spans the buckets (one bucket alone would
 * otherwise be stretched over years).
 */
export function TimeChart({
  times,
  series,
  label,
  stepSeconds,
}: {
  times: number[];
  series: Series[];
  label: string;
  stepSeconds: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const width = () => Math.max(280, element.clientWidth);
    const rates = series.some((s) => s.scale === 'rate');
    const plot = new uPlot(
      {
        width: width(),
        height: 220,
        // Without an axis on the right, room for half of the last time label ("12:03:05").
        padding: [null, rates ? null : 32, null, null],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            scale: s.scale ?? 'count',
            value: (_u: uPlot, v: number | null) =>
              v === null ? '—' : s.scale === 'rate' ? `${Math.round(v * 1000) / 10}%` : String(v),
          })),
        ],
        scales: {
          x: {
            time: true,
            range: (): [number, number] => [
              times[0] ?? 0,
              (times[times.length - 1] ?? 0) + stepSeconds,
            ],
          },
          rate: { range: [0, 1] },
        },
        axes: [
          {
            space: 70,
            incrs: TIME_AXIS_INCREMENTS,
            values: (
              _u: uPlot,
              ticks: number[],
              _axis: number,
              _space: number,
              increment: number,
            ) => timeAxisLabels(ticks, increment),
          },
          { scale: 'count' },
          ...(rates
            ? [
                {
                  scale: 'rate',
                  side: 1,
                  values: (_u: uPlot, ticks: number[]) =>
                    ticks.map((t) => `${Math.round(t * 100)}%`),
                },
              ]
            : []),
        ],
      },
      [times, ...series.map((s) => s.values)],
      element,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [times, series, stepSeconds]);
  return <div class="chart" ref={box} role="img" aria-label={label} />;
}
