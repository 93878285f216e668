import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LAG_BUCKETS, statusLagObserver } from '../../observability/status-lag.ts';
import type { MetricsSnapshot } from './snapshot.ts';

/**
 * The API's Prometheus series: gauges set from a PostgreSQL snapshot at each scrape (see
 * snapshot.ts), and histograms observed as webhooks arrive and statuses are applied. One
 * registry per app, so tests can run several apps in one process.
 */
export function createApiMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers });

  const campaignMessages = gauge(
    'tandem_campaign_messages',
    'Messages of a campaign by status (campaigns finished over a day ago are left out)',
    ['campaign', 'status'],
  );
  const campaigns = gauge('tandem_campaigns', 'Campaigns by status', ['status']);
  const lastProgress = gauge(
    'tandem_campaign_last_progress_timestamp_seconds',
    'When a running campaign last sent or ended a message (its launch if none yet)',
    ['campaign'],
  );
  const stalled = gauge(
    'tandem_campaign_stalled',
    '1 while a running campaign has made no progress for CAMPAIGN_STALL_SECONDS, with why its messages wait',
    ['campaign', 'reason'],
  );
  const numbers = gauge('tandem_numbers', 'Sender numbers by pool, provider and state', [
    'pool',
    'provider',
    'state',
  ]);
  const numberState = gauge('tandem_number_state', "1 for a sender number's current state", [
    'pool',
    'number',
    'state',
  ]);
  const numberMps = gauge('tandem_number_mps', "A sender number's messages-per-second limit", [
    'pool',
    'number',
  ]);
  const sendsLastMinute = gauge(
    'tandem_number_sends_last_minute',
    'Messages a number sent (carrier accepted) in the last 60 s; compare with 60 × its MPS',
    ['pool', 'number'],
  );
  const outcomes = gauge(
    'tandem_number_outcomes_last_hour',
    "Final statuses of a number's messages in the last hour",
    ['pool', 'number', 'status'],
  );
  const deliveryRate = gauge(
    'tandem_number_delivery_rate_last_hour',
    "A number's delivery rate over the last hour, sender-attributable outcomes only (as its health judges it); absent without any",
    ['pool', 'number'],
  );
  const deliverySamples = gauge(
    'tandem_number_delivery_samples_last_hour',
    'Sender-attributable outcomes behind tandem_number_delivery_rate_last_hour',
    ['pool', 'number'],
  );
  const consent = new Counter({
    name: 'tandem_consent_events_total',
    help: 'Consent events (opt-outs and opt-ins) recorded, by action and source',
    labelNames: ['action', 'source'] as const,
    registers,
  });
  const snapshotSeconds = gauge(
    'tandem_metrics_snapshot_seconds',
    'How long the last read of these series from PostgreSQL took',
    [],
  );

  const webhookLag = new Histogram({
    name: 'tandem_webhook_lag_seconds',
    help: "Carrier webhook receipt minus the event time the carrier put in it (Blooio's `timestamp`; Twilio callbacks carry none)",
    labelNames: ['provider', 'event'] as const,
    buckets: LAG_BUCKETS,
    registers,
  });
  const statusLag = statusLagObserver(registry);

  function show(snapshot: MetricsSnapshot): void {
    for (const series of [
      campaignMessages,
      campaigns,
      lastProgress,
      stalled,
      numbers,
      numberState,
      numberMps,
      sendsLastMinute,
      outcomes,
      deliveryRate,
      deliverySamples,
    ])
      series.reset();
    consent.reset();
    for (const row of snapshot.campaignMessages)
      campaignMessages.set({ campaign: row.campaign_id, status: row.status }, row.n);
    for (const row of snapshot.campaigns) campaigns.set({ status: row.status }, row.n);
    for (const campaign of snapshot.running) {
      if (campaign.lastProgressAt !== null)
        lastProgress.set({ campaign: campaign.id }, campaign.lastProgressAt.getTime() / 1000);
      if (campaign.stalledFor !== null)
        stalled.set({ campaign: campaign.id, reason: campaign.stalledFor }, 1);
    }
    for (const row of snapshot.numbers) {
      const labels = { pool: row.pool_id, number: row.phone };
      numbers.inc({ pool: row.pool_id, provider: row.provider, state: row.state });
      numberState.set({ ...labels, state: row.state }, 1);
      numberMps.set(labels, row.mps);
      sendsLastMinute.set(labels, row.sent_last_minute);
      outcomes.set({ ...labels, status: 'delivered' }, row.delivered);
      outcomes.set({ ...labels, status: 'undelivered' }, row.undelivered);
      outcomes.set({ ...labels, status: 'failed' }, row.failed);
      const samples = row.good + row.bad;
      deliverySamples.set(labels, samples);
      if (samples > 0) deliveryRate.set(labels, row.good / samples);
    }
    for (const row of snapshot.consent)
      consent.inc({ action: row.action, source: row.source }, row.n);
    snapshotSeconds.set(snapshot.seconds);
  }

  return {
    registry,
    show,
    /** A carrier webhook that named when its event happened. */
    webhookLag: (provider: string, event: string, seconds: number) =>
      webhookLag.observe({ provider, event }, Math.max(0, seconds)),
    statusLag,
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
