import { classifyTwilioCode } from './carrier-errors.ts';

export interface Outcome {
  /** When the final status arrived (ms). */
  at: number;
  status: 'delivered' | 'undelivered' | 'failed';
  errorCode: number | null;
  /** Identical outcomes this one stands for (a window read grouped by status and code); 1 if absent. */
  count?: number;
}

export interface HealthPolicy {
  /** Rolling window of outcomes considered while active. */
  windowMs: number;
  /** Attributable outcomes needed before an active number can be judged. */
  minSamples: number;
  /** Delivery rate (0..1) below which a number cools down. */
  threshold: number;
  coolDownMs: number;
  /** Good outcomes that end probation early. */
  probationGoodOutcomes: number;
  /** Probation ends after this long if the rate held (or nothing was sent). */
  probationMs: number;
  /** Attributable outcomes that can send a number on probation back to cooling. */
  probationMinSamples: number;
  /** Count failures without an error code against the number (e.g. Blooio `failed`). */
  attributeUncodedFailures: boolean;
}

export const HOUR = 3_600_000;
export const DEFAULT_HEALTH_POLICY: HealthPolicy = {
  windowMs: 24 * HOUR,
  minSamples: 20,
  threshold: 0.8,
  coolDownMs: 6 * HOUR,
  probationGoodOutcomes: 20,
  probationMs: 24 * HOUR,
  probationMinSamples: 5,
  attributeUncodedFailures: false,
};

export type Attribution = 'good' | 'bad' | 'ignored';

/** Only outcomes the sending number can be blamed or credited for count. */
export function attribute(outcome: Outcome, policy: HealthPolicy): Attribution {
  if (outcome.status === 'delivered') return 'good';
  if (outcome.errorCode === null) return policy.attributeUncodedFailures ? 'bad' : 'ignored';
  return classifyTwilioCode(outcome.errorCode).class === 'sender' ? 'bad' : 'ignored';
}

export interface HealthStats {
  delivered: number;
  /** Attributable outcomes (delivered + sender-caused failures). */
  samples: number;
  /** delivered / samples, or null without samples. */
  rate: number | null;
  /** Sender-caused failures by error code ('none' for uncoded). */
  failuresByCode: Record<string, number>;
}

export function healthStats(
  outcomes: readonly Outcome[],
  since: number,
  now: number,
  policy: HealthPolicy,
): HealthStats {
  let delivered = 0;
  let samples = 0;
  const failuresByCode: Record<string, number> = {};
  for (const outcome of outcomes) {
    if (outcome.at < since || outcome.at > now) continue;
    const verdict = attribute(outcome, policy);
    if (verdict === 'ignored') continue;
    const count = outcome.count ?? 1;
    samples += count;
    if (verdict === 'good') delivered += count;
    else {
      const key = outcome.errorCode === null ? 'none' : String(outcome.errorCode);
      failuresByCode[key] = (failuresByCode[key] ?? 0) + count;
    }
  }
  return { delivered, samples, rate: samples === 0 ? null : delivered / samples, failuresByCode };
}
