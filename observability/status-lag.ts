import { Histogram, type Registry } from 'prom-client';
import type { AppliedLag } from '../db/status-events.ts';

/** Seconds: a webhook or a status is expected within seconds, and may take minutes. */
export const LAG_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/**
 * `tandem_status_lag_seconds`: from the carrier accepting a send to its status being applied
 * to the message. Whichever process applies a status observes it (the API's status applier for
 * callbacks, the worker for callbacks that arrived before the send's sid was stored and for
 * fetched statuses), so both expose it: sum the two targets.
 */
export function statusLagObserver(registry: Registry): (lags: readonly AppliedLag[]) => void {
  const histogram = new Histogram({
    name: 'tandem_status_lag_seconds',
    help: 'From the carrier accepting a send to its status being applied to the message, by the status applied',
    labelNames: ['provider', 'status'] as const,
    buckets: LAG_BUCKETS,
    registers: [registry],
  });
  return (lags) => {
    for (const lag of lags)
      histogram.observe({ provider: 'twilio', status: lag.status }, Math.max(0, lag.seconds));
  };
}
