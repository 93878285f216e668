import { createHash, randomBytes } from 'node:crypto';
import type { Latency } from './config.ts';

/** A number in [0, 1) derived from the seed and the parts: the same inputs give the same draw. */
export function draw(seed: string, ...parts: readonly (string | number)[]): number {
  const digest = createHash('sha256').update(seed).update('\u0000').update(parts.join('\u0000'));
  return digest.digest().readUIntBE(0, 6) / 2 ** 48;
}

/** Picks a key of `weights` in proportion to its weight, using a draw in [0, 1). */
export function pickWeighted(weights: Readonly<Record<string, number>>, u: number): string | null {
  const entries = Object.entries(weights).filter(([, weight]) => weight > 0);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (total === 0) return null;
  let cursor = u * total;
  for (const [key, weight] of entries) {
    cursor -= weight;
    if (cursor < 0) return key;
  }
  return entries[entries.length - 1]?.[0] ?? null;
}

/** A duration in milliseconds inside the latency range, chosen by a draw in [0, 1). */
export function pickLatency(latency: Latency, u: number): number {
  if (typeof latency === 'number') return latency;
  return Math.round(latency.min + (latency.max - latency.min) * u);
}

/** Random hex of `bytes` bytes, for resource ids (SM..., msg_...). */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
