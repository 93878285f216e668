import { useMemo } from 'preact/hooks';
import { TimeChart } from '../chart.tsx';
import { must, useLoad } from '../load.ts';
import { api } from '../session.ts';
import { ErrorNote, count, percent } from '../ui.tsx';

/** Running totals per bucket: the funnel as it grew. */
function cumulative(values: number[]): number[] {
  let sum = 0;
  return values.map((value) => (sum += value));
}

export function CampaignActivity({
  id,
  version,
  live,
}: {
  id: string;
  version: string;
  live: boolean;
}) {
  const activity = useLoad(
    () => must(api().GET('/v1/campaigns/{id}/activity', { params: { path: { id } } })),
    [id, version],
    { everyMs: live ? 5_000 : null },
  );
  const chart = useMemo(() => {
    const buckets = activity.data?.buckets ?? [];
    return {
      times: buckets.map((bucket) => Date.parse(bucket.at) / 1000),
      series: [
        { label: 'sent', color: '#1f4fd1', values: cumulative(buckets.map((b) => b.sent)) },
        {
          label: 'delivered',
          color: '#1e7a3c',
          values: cumulative(buckets.map((b) => b.delivered)),
        },
        { label: 'failed', color: '#b3261e', values: cumulative(buckets.map((b) => b.failed)) },
        { label: 'replied', color: '#8a5a00', values: cumulative(buckets.map((b) => b.replied)) },
        {
          label: 'handed off',
          color: '#6b3fa0',
          values: cumulative(buckets.map((b) => b.handed_off)),
        },
      ],
    };
  }, [activity.data]);
  const data = activity.data;
  return (
    <>
      <h2>Over time</h2>
      <ErrorNote error={activity.error} retry={activity.reload} />
      {data !== undefined && data.buckets.length === 0 ? (
        <p class="muted">The chart starts at launch.</p>
      ) : (
        data !== undefined && (
          <TimeChart
            stepSeconds={data.bucket_seconds}
            times={chart.times}
            series={chart.series}
            label="Sent, delivered, failed, replied and handed off over time"
          />
        )
      )}
      {data?.schedule_ui_url && (
        <p>
          <a href={data.schedule_ui_url} target="_blank" rel="noreferrer">
            Drip Schedule in the Temporal UI
          </a>
        </p>
      )}
      <h2>Delivery by sender number</h2>
      {data === undefined || data.senders.length === 0 ? (
        <p class="muted">No message has left a sender yet.</p>
      ) : (
        <div class="table-wrap">
          <table data-testid="senders">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col" class="num">
                  Sent
                </th>
                <th scope="col" class="num">
                  Delivered
                </th>
                <th scope="col" class="num">
                  Failed
                </th>
                <th scope="col" class="num">
                  Delivery rate
                </th>
              </tr>
            </thead>
            <tbody>
              {data.senders.map((sender) => (
                <tr key={sender.from}>
                  <td>{sender.from}</td>
                  <td class="num">{count(sender.sent)}</td>
                  <td class="num">{count(sender.delivered)}</td>
                  <td class="num">{count(sender.failed)}</td>
                  <td class="num">
                    {sender.delivery_rate === null ? '—' : percent(sender.delivery_rate, 1)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
