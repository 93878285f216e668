import { useMemo } from 'preact/hooks';
import { TimeChart } from '../chart.tsx';
import { must, useLoad } from '../load.ts';
import { api } from '../session.ts';
import { ErrorNote, Loading, percent, when } from '../ui.tsx';

/** One number: its delivery rate over time, and every state change with its reason. */
export function NumberTimeline({ poolId, phone }: { poolId: string; phone: string }) {
  const path = { params: { path: { id: poolId, phone } } };
  const history = useLoad(
    () => must(api().GET('/v1/pools/{id}/numbers/{phone}/history', path)),
    [poolId, phone],
  );
  const activity = useLoad(
    () => must(api().GET('/v1/pools/{id}/numbers/{phone}/activity', path)),
    [poolId, phone],
  );
  const chart = useMemo(() => {
    const buckets = activity.data?.buckets ?? [];
    return {
      times: buckets.map((bucket) => Date.parse(bucket.at) / 1000),
      series: [
        { label: 'sent', color: '#1f4fd1', values: buckets.map((bucket) => bucket.sent) },
        {
          label: 'delivery rate',
          color: '#1e7a3c',
          scale: 'rate' as const,
          values: buckets.map((bucket) => bucket.delivery_rate),
        },
      ],
    };
  }, [activity.data]);
  return (
    <section class="panel" aria-labelledby="timeline-title" data-testid="number-timeline">
      <h2 id="timeline-title">Timeline of {phone}</h2>
      <ErrorNote error={activity.error ?? history.error} />
      {activity.data === undefined ? (
        <Loading what="activity" />
      ) : (
        <TimeChart
          stepSeconds={activity.data.bucket_seconds}
          times={chart.times}
          series={chart.series}
          label={`Messages sent from ${phone} and their delivery rate over time`}
        />
      )}
      <h3>State changes</h3>
      {history.data === undefined ? (
        <Loading what="history" />
      ) : history.data.history.length === 0 ? (
        <p class="muted">
          No changes yet: the number has been {history.data.number.state} since it was added.
        </p>
      ) : (
        <ol class="timeline">
          {history.data.history.map((entry, index) => (
            <li key={`${entry.at}-${index}`}>
              <strong>
                {entry.kind === 'state_change'
                  ? `${entry.from_state ?? '—'} → ${entry.to_state ?? '—'}`
                  : `settings: ${Object.keys(entry.changes ?? {}).join(', ')}`}
              </strong>{' '}
              <span class="muted">
                {when(entry.at)} · by {entry.actor}
              </span>
              <div>{entry.reason ?? 'no reason given'}</div>
              {entry.delivery_rate !== null && (
                <div class="muted">
                  delivery {percent(entry.delivery_rate, 1)} over {entry.samples} messages
                  {entry.error_code === null ? '' : `, error ${entry.error_code}`}
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
