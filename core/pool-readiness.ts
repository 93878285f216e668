import { kindWeight, type PoolNumber, type PoolOptions } from './sender-pool.ts';

/** Why a number can never be chosen as things stand, or null when it can (now or later). */
export function unusableBecause(pool: PoolOptions, number: PoolNumber): string | null {
  if (number.state === 'retired') return 'retired';
  if (number.state === 'misconfigured') return 'misconfigured';
  if (number.weight <= 0) return 'weight 0';
  if (kindWeight(pool, number.kind) <= 0) return `${number.kind} weight 0 in the pool`;
  return null;
}

/**
 * Why a pool can send nothing at all, or null when one of its numbers can (a cooling number
 * can: its cool-down ends). Launching a campaign on such a pool would leave it waiting forever.
 */
export function poolCannotSend(pool: PoolOptions, numbers: readonly PoolNumber[]): string | null {
  if (numbers.length === 0) return 'it has no numbers';
  const why = new Map<string, number>();
  for (const number of numbers) {
    const reason = unusableBecause(pool, number);
    if (reason === null) return null;
    why.set(reason, (why.get(reason) ?? 0) + 1);
  }
  const parts = [...why].map(([reason, n]) => `${n} ${reason}`);
  return `none of its ${numbers.length} numbers can send (${parts.join(', ')})`;
}

/**
 * Why a pool can send nothing right now, or null when a number can take a message now: an
 * active or probation number, or (skip_unhealthy off) a cooling one used as a last resort.
 */
export function poolCannotSendNow(
  pool: PoolOptions,
  numbers: readonly PoolNumber[],
): string | null {
  const never = poolCannotSend(pool, numbers);
  if (never !== null) return never;
  const usable = numbers.filter((number) => unusableBecause(pool, number) === null);
  if (usable.some((number) => number.state === 'active' || number.state === 'probation'))
    return null;
  if (!pool.skip_unhealthy) return null;
  return `every number that can send (${usable.length}) is cooling down after poor delivery`;
}
