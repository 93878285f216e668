import { useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { FINISHED_CAMPAIGN_STATUSES } from '../../../core/campaign-status.ts';
import { describe, must, useLoad } from '../load.ts';
import { api } from '../session.ts';
import { Badge, ErrorNote, Loading, PageTitle, Progress, count, when } from '../ui.tsx';
import { CampaignControls } from './campaign-controls.tsx';
import { CampaignActivity } from './campaign-activity.tsx';
import { CampaignMessages } from './campaign-messages.tsx';
import { TargetingPreview } from './campaign-targeting.tsx';
import { TargetingSummary } from './campaign-targeting-summary.tsx';

/** A campaign that can still change by itself: polled every 2 s. */
function live(status: string): boolean {
  return status !== 'draft' && !FINISHED_CAMPAIGN_STATUSES.some((finished) => finished === status);
}

export function CampaignPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const [running, setRunning] = useState(false);
  const campaign = useLoad(
    async () => {
      const view = await must(api().GET('/v1/campaigns/{id}', { params: { path: { id } } }));
      setRunning(live(view.status));
      return view;
    },
    [id],
    { everyMs: running ? 2_000 : null },
  );
  const [actionError, setActionError] = useState<string | null>(null);

  if (campaign.data === undefined)
    return (
      <section>
        <PageTitle>Campaign</PageTitle>
        {campaign.error === null ? (
          <Loading what="the campaign" />
        ) : (
          <ErrorNote error={campaign.error} retry={campaign.reload} />
        )}
      </section>
    );
  const c = campaign.data;
  const f = c.funnel;
  const handedToCarrier = f.sent + f.delivered + f.failed;
  // Tables and the chart reload when any count moves.
  const version = [
    c.status,
    f.sent,
    f.delivered,
    f.failed,
    f.skipped,
    f.replied,
    f.handed_off,
  ].join('-');
  const stages: { label: string; value: number; hint?: string }[] = [
    { label: 'Targeted', value: f.targeted },
    { label: 'Sent', value: handedToCarrier, hint: `${count(f.sent)} awaiting delivery` },
    { label: 'Delivered', value: f.delivered },
    { label: 'Replied', value: f.replied },
    { label: 'Interested', value: f.interested },
    { label: 'Handed off', value: f.handed_off },
    { label: 'Opted out', value: f.opted_out },
    { label: 'Failed', value: f.failed },
    { label: 'Skipped', value: f.skipped },
    { label: 'Waiting', value: f.deferred + f.queued + f.sending + f.unknown },
  ];
  return (
    <section>
      <PageTitle
        actions={
          <CampaignControls
            id={c.id}
            name={c.name}
            status={c.status}
            onDone={() => {
              setRunning(true);
              campaign.reload();
            }}
            onError={(error) => setActionError(error === null ? null : describe(error))}
          />
        }
      >
        {c.name}
      </PageTitle>
      <p>
        <span data-testid="campaign-status">
          <Badge value={c.status} />
        </span>{' '}
        <Progress value={handedToCarrier} max={f.targeted} label="Messages handed to the carrier" />
        <span class="muted">
          {count(handedToCarrier)} of {count(f.targeted)} sent · created {when(c.created_at)}
          {c.launched_at === null ? '' : ` · launched ${when(c.launched_at)}`}
          {c.finished_at === null ? '' : ` · finished ${when(c.finished_at)}`}
        </span>
      </p>
      <ErrorNote error={campaign.error ?? actionError} retry={campaign.reload} />
      {c.stalled !== null && (
        <p class="notice" role="status">
          Not making progress: {c.stalled.reason}
        </p>
      )}
      <h2>Funnel</h2>
      <ul class="funnel" data-testid="funnel">
        {stages.map((stage) => (
          <li key={stage.label}>
            <span class="muted">{stage.label}</span>
            <strong data-stage={stage.label}>{count(stage.value)}</strong>
            {stage.hint !== undefined && <span class="muted">{stage.hint}</span>}
          </li>
        ))}
      </ul>
      {Object.keys(f.skipped_reasons).length > 0 && (
        <p class="muted">
          Skipped:{' '}
          {Object.entries(f.skipped_reasons)
            .map(([reason, n]) => `${n} ${reason.replaceAll('_', ' ')}`)
            .join(', ')}
        </p>
      )}
      {Object.keys(f.waiting_reasons).length > 0 && (
        <p class="muted">
          Waiting:{' '}
          {Object.entries(f.waiting_reasons)
            .map(
              ([reason, w]) =>
                `${w.count} for ${reason.replaceAll('_', ' ')}${w.deferred_until === null ? '' : ` until ${when(w.deferred_until)}`}`,
            )
            .join(', ')}
        </p>
      )}
      {c.status === 'draft' && <TargetingPreview id={c.id} />}
      <CampaignActivity id={c.id} version={version} live={live(c.status)} />
      <h2>Steps</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Message</th>
              <th scope="col" class="num">
                Targeted
              </th>
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
                Skipped
              </th>
              <th scope="col">Segments</th>
            </tr>
          </thead>
          <tbody>
            {c.steps.map((step) => (
              <tr key={step.step}>
                <td>
                  {step.step + 1}
                  {step.step > 0 && (
                    <span class="muted block">
                      after {Math.round(step.delay_seconds / 360) / 10} h, to{' '}
                      {step.condition.replaceAll('_', ' ')}
                    </span>
                  )}
                </td>
                <td>{step.template}</td>
                <td class="num">{count(step.counts.targeted)}</td>
                <td class="num" title={`${count(step.counts.sent)} awaiting delivery`}>
                  {count(step.counts.sent + step.counts.delivered + step.counts.failed)}
                </td>
                <td class="num">{count(step.counts.delivered)}</td>
                <td class="num">{count(step.counts.failed)}</td>
                <td class="num">{count(step.counts.skipped)}</td>
                <td>
                  {step.segments.per_message} · {step.segments.encoding}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Schedule and workflow</h2>
      <ul>
        <TargetingSummary campaign={c} />
        <li>
          Sending window {c.sending_window_effective?.start ?? '—'}–
          {c.sending_window_effective?.end ?? '—'} (recipient's local time)
        </li>
        <li>
          Follow-up steps checked{' '}
          {c.drip.every_seconds === undefined
            ? `by cron ${c.drip.cron ?? ''}`
            : `every ${Math.round(c.drip.every_seconds / 60)} min`}
          {c.steps.length > 1
            ? ` · next run ${when(c.next_drip_run_at)}`
            : ' (this campaign has one step)'}
        </li>
        <li>
          {c.temporal_ui_url === null ? (
            'The workflow starts at launch.'
          ) : (
            <a href={c.temporal_ui_url} target="_blank" rel="noreferrer">
              Workflow in the Temporal UI
            </a>
          )}
        </li>
      </ul>
      <CampaignMessages id={c.id} version={version} />
    </section>
  );
}
