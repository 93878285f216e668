import type { FaultKind } from '../config.ts';

export type FaultStatus = 429 | 500 | 503;

/** How a faulted request is answered: an error status, no answer at all, or a torn connection. */
export type FaultAnswer =
  | { readonly kind: 'error'; readonly status: FaultStatus }
  | { readonly kind: 'hang' }
  | { readonly kind: 'reset' };

export interface FaultEffect {
  /** Whether the message is created (stored, in the ledger, lifecycle running) before answering. */
  readonly createsMessage: boolean;
  readonly answer: FaultAnswer;
}

export const FAULT_EFFECTS: Readonly<Record<FaultKind, FaultEffect>> = {
  http_429: { createsMessage: false, answer: { kind: 'error', status: 429 } },
  http_500: { createsMessage: false, answer: { kind: 'error', status: 500 } },
  http_503: { createsMessage: false, answer: { kind: 'error', status: 503 } },
  http_500_after_accept: { createsMessage: true, answer: { kind: 'error', status: 500 } },
  hang_before_accept: { createsMessage: false, answer: { kind: 'hang' } },
  hang_after_accept: { createsMessage: true, answer: { kind: 'hang' } },
  reset_before_accept: { createsMessage: false, answer: { kind: 'reset' } },
  reset_after_accept: { createsMessage: true, answer: { kind: 'reset' } },
};
