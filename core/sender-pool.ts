import { assertNever } from './assert-never.ts';

export type NumberKind = 'long_code' | 'toll_free' | 'short_code' | 'imessage';
/**
 * `misconfigured`: the carrier refused it as a sender (not owned, not SMS-capable); see
 * carrier-errors. `paused`: an operator took it out of selection until they resume it.
 */
export const NUMBER_STATES = [
  'active',
  'cooling',
  'probation',
  'retired',
  'misconfigured',
  'paused',
] as const;
export type NumberState = (typeof NUMBER_STATES)[number];

/** Shaped like the `pools` row so callers can pass it as-is. */
export interface PoolOptions {
  sticky_sender: boolean;
  geomatch: boolean;
  skip_unhealthy: boolean;
  long_code_weight: number;
  toll_free_weight: number;
  short_code_weight: number;
  /** Weight multiplier while on probation (default 0.25). */
  probation_factor?: number;
}

/** Shaped like the `sender_numbers` row, plus today's usage counted by the caller. */
export interface PoolNumber {
  id: string;
  phone: string;
  kind: NumberKind;
  weight: number;
  state: NumberState;
  area_code: string | null;
  region: string | null;
  /** Unique new recipients per day; null = no cap. */
  daily_cap: number | null;
  /** New recipients already assigned to this number today. */
  new_recipients_today?: number;
}

export const DEFAULT_PROBATION_FACTOR = 0.25;

/** iMessage lines live alone in Blooio pools, which have no per-kind weights. */
export function kindWeight(pool: PoolOptions, kind: NumberKind): number {
  switch (kind) {
    case 'long_code':
      return pool.long_code_weight;
    case 'toll_free':
      return pool.toll_free_weight;
    case 'short_code':
      return pool.short_code_weight;
    case 'imessage':
      return 1;
    default:
      return assertNever(kind, 'number kind');
  }
}

export function healthFactor(state: NumberState, probationFactor: number): number {
  switch (state) {
    case 'active':
      return 1;
    case 'probation':
      return probationFactor;
    case 'cooling':
    case 'retired':
    case 'misconfigured':
    case 'paused':
      return 0;
    default:
      return assertNever(state, 'number state');
  }
}

/** number weight × kind weight × health factor; 0 means "never chosen normally". */
export function effectiveWeight(pool: PoolOptions, number: PoolNumber): number {
  const factor = healthFactor(number.state, pool.probation_factor ?? DEFAULT_PROBATION_FACTOR);
  return Math.max(0, number.weight) * Math.max(0, kindWeight(pool, number.kind)) * factor;
}

/** Weight a cooling number gets when skip_unhealthy is off and nothing healthy is left. */
export function fallbackWeight(pool: PoolOptions, number: PoolNumber): number {
  if (number.state !== 'cooling') return 0;
  return Math.max(0, number.weight) * Math.max(0, kindWeight(pool, number.kind));
}
