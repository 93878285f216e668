import { assertNever } from './assert-never.ts';
import { classifyTwilioCode } from './carrier-errors.ts';
import { DEFAULT_HEALTH_POLICY, healthStats, HOUR } from './health-stats.ts';
import type { HealthPolicy, HealthStats, Outcome } from './health-stats.ts';
import type { NumberState } from './sender-pool.ts';

export { attribute, DEFAULT_HEALTH_POLICY, healthStats } from './health-stats.ts';
export type { Attribution, HealthPolicy, HealthStats, Outcome } from './health-stats.ts';

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
const duration = (ms: number): string =>
  ms % HOUR === 0 ? `${ms / HOUR}h` : `${Math.round(ms / 60_000)}min`;

function describeFailures(stats: HealthStats): string {
  const parts = Object.entries(stats.failuresByCode)
    .sort(([, a], [, b]) => b - a)
    .map(([code, n]) => {
      const label =
        code === 'none'
          ? 'failed without error code'
          : `${code} ${classifyTwilioCode(Number(code)).reason}`;
      return `${n}× ${label}`;
    });
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function lowRate(stats: HealthStats, policy: HealthPolicy, minSamples: number): string | null {
  if (stats.rate === null || stats.samples < minSamples || stats.rate >= policy.threshold)
    return null;
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
      const stats = healthStats(
        outcomes,
        Math.max(current.since, now - policy.windowMs),
        now,
        policy,
      );
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
      if (failing !== null)
        return { stats, transition: { from, to: 'cooling', reason: `on probation: ${failing}` } };
      const healthy = stats.rate === null || stats.rate >= policy.threshold;
      if (healthy && stats.delivered >= policy.probationGoodOutcomes) {
        const reason = `probation passed: ${stats.delivered} delivered of ${stats.samples} sender-attributable messages`;
        return { stats, transition: { from, to: 'active', reason } };
      }
      if (healthy && elapsed >= policy.probationMs) {
        const rate =
          stats.rate === null
            ? 'no sender-attributable messages'
            : `delivery rate ${pct(stats.rate)}`;
        const reason = `probation of ${duration(policy.probationMs)} passed cleanly (${rate})`;
        return { stats, transition: { from, to: 'active', reason } };
      }
      return { stats, transition: null };
    }
    case 'retired':
    case 'misconfigured':
    case 'paused':
      // Left only by an operator (resume, release, or retire and add again): delivery outcomes
      // say nothing here.
      return { stats: healthStats([], now, now, policy), transition: null };
    default:
      return assertNever(from, 'number state');
  }
}
