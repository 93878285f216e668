import { assertNever } from './assert-never.ts';
import { classifyTwilioCode } from './carrier-errors.ts';
import type { NumberState } from './sender-pool.ts';

export interface Outcome {
  /** When the final status arrived (ms). */
  at: number;
  status: 'delivered' | 'undelivered' | 'failed';
  errorCode: number | null;
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

const HOUR = 3_600_000;
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

export function healthStats(outcomes: readonly Outcome[], since: number, now: number, policy: HealthPolicy): HealthStats {
  let delivered = 0;
  let samples = 0;
  const failuresByCode: Record<string, number> = {};
  for (const outcome of outcomes) {
    if (outcome.at < since || outcome.at > now) continue;
    const verdict = attribute(outcome, policy);
    if (verdict === 'ignored') continue;
    samples += 1;
    if (verdict === 'good') delivered += 1;
    else {
      const key = outcome.errorCode === null ? 'none' : String(outcome.errorCode);
      failuresByCode[key] = (failuresByCode[key] ?? 0) + 1;
    }
  }
  return { delivered, samples, rate: samples === 0 ? null : delivered / samples, failuresByCode };
}

export interface NumberHealth {
  state: NumberState;
  /** When the number entered `state` (ms). */
  since: number;
}

export interface HealthTransition {
  from: NumberState;
  to: NumberState;
  reason: string;
}

export interface HealthEvaluation {
  transition: HealthTransition | null;
  stats: HealthStats;
}

const pct = (rate: number): string => `${Math.round(rate * 100)}%`;
const duration = (ms: number): string => (ms % HOUR === 0 ? `${ms / HOUR}h` : `${Math.round(ms / 60_000)}min`);

function describeFailures(stats: HealthStats): string {
  const parts = Object.entries(stats.failuresByCode)
    .sort(([, a], [, b]) => b - a)
    .map(([code, n]) => {
      const label = code === 'none' ? 'failed without error code' : `${code} ${classifyTwilioCode(Number(code)).reason}`;
      return `${n}× ${label}`;
    });
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function lowRate(stats: HealthStats, policy: HealthPolicy, minSamples: number): string | null {
  if (stats.rate === null || stats.samples < minSamples || stats.rate >= policy.threshold) return null;
  return (
    `delivery rate ${pct(stats.rate)} over last ${stats.samples} sender-attributable messages` +
    `${describeFailures(stats)} is below ${pct(policy.threshold)}`
  );
}

/**
 * One step of the state machine active → cooling → probation → active (or back to
 * cooling). Outcomes count only from when the number entered its current state, so a
 * number is never judged again on the failures that already cooled it.
 */
export function evaluateHealth(
  current: NumberHealth,
  outcomes: readonly Outcome[],
  now: number,
  policy: HealthPolicy = DEFAULT_HEALTH_POLICY,
): HealthEvaluation {
  const from = current.state;
  const elapsed = now - current.since;
  switch (from) {
    case 'active': {
      const stats = healthStats(outcomes, Math.max(current.since, now - policy.windowMs), now, policy);
      const reason = lowRate(stats, policy, policy.minSamples);
      return { stats, transition: reason === null ? null : { from, to: 'cooling', reason } };
    }
    case 'cooling': {
      const stats = healthStats(outcomes, current.since, now, policy);
      if (elapsed < policy.coolDownMs) return { stats, transition: null };
      const reason = `cool-down of ${duration(policy.coolDownMs)} ended; back on probation at reduced weight`;
      return { stats, transition: { from, to: 'probation', reason } };
    }
    case 'probation': {
      const stats = healthStats(outcomes, current.since, now, policy);
      const failing = lowRate(stats, policy, policy.probationMinSamples);
      if (failing !== null) return { stats, transition: { from, to: 'cooling', reason: `on probation: ${failing}` } };
      const healthy = stats.rate === null || stats.rate >= policy.threshold;
      if (healthy && stats.delivered >= policy.probationGoodOutcomes) {
        const reason = `probation passed: ${stats.delivered} delivered of ${stats.samples} sender-attributable messages`;
        return { stats, transition: { from, to: 'active', reason } };
      }
      if (healthy && elapsed >= policy.probationMs) {
        const rate = stats.rate === null ? 'no sender-attributable messages' : `delivery rate ${pct(stats.rate)}`;
        const reason = `probation of ${duration(policy.probationMs)} passed cleanly (${rate})`;
        return { stats, transition: { from, to: 'active', reason } };
      }
      return { stats, transition: null };
    }
    case 'retired':
      return { stats: healthStats([], now, now, policy), transition: null };
    default:
      return assertNever(from, 'number state');
  }
}
