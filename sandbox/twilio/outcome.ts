import type { NumberBehaviour } from '../config.ts';
import { draw, pickLatency, pickWeighted } from '../random.ts';
import type { Settings } from '../settings.ts';
import { deliveryError } from './errors.ts';

export interface Outcome {
  readonly status: 'delivered' | 'undelivered' | 'failed';
  readonly errorCode: number | null;
  readonly errorMessage: string | null;
  /** Milliseconds from creation to the final status. */
  readonly latencyMs: number;
  readonly duplicate: boolean;
  readonly outOfOrder: boolean;
}

/**
 * Decides how a message ends, deterministically from the seed, the sender, the recipient and
 * how many messages this sender sent this recipient before, so a run can be reproduced.
 */
export function decideOutcome(
  settings: Settings,
  number: NumberBehaviour,
  to: string,
  pairIndex: number,
): Outcome {
  const { seed } = settings;
  const key = [number.phoneNumber, to, pairIndex] as const;
  const latencyMs = pickLatency(number.latencyMs, draw(seed, 'latency', ...key));
  const duplicate = draw(seed, 'duplicate', ...key) < number.duplicateRate;
  const outOfOrder = draw(seed, 'out-of-order', ...key) < number.outOfOrderRate;
  const forced = settings.recipients.get(to)?.errorCode;
  let code: number | null = forced ?? null;
  if (code === null && draw(seed, 'delivery', ...key) >= number.deliveryRate) {
    code = Number(pickWeighted(number.errorMix, draw(seed, 'error', ...key)) ?? 30008);
  }
  if (code === null) {
    return {
      status: 'delivered',
      errorCode: null,
      errorMessage: null,
      latencyMs,
      duplicate,
      outOfOrder,
    };
  }
  const { status, message } = deliveryError(code);
  return { status, errorCode: code, errorMessage: message, latencyMs, duplicate, outOfOrder };
}
