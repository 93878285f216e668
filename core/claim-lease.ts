/**
 * A claimed row is leased to its sender until its send must have ended: the sender may
 * dispatch until `DISPATCH_SLACK_MS` after the row's slot, and the request then lasts at most
 * the carrier timeout. After the lease anyone may ask the carrier about the row and send it
 * again; before it, nobody touches it, so a sender still talking to the carrier is never raced.
 */
export const DISPATCH_SLACK_MS = 15_000;
/** Clock differences between workers and time between the answer and storing it. */
const SAFETY_MS = 5_000;

export function leaseUntil(sendAt: Date, requestTimeoutMs: number): Date {
  return new Date(sendAt.getTime() + DISPATCH_SLACK_MS + requestTimeoutMs + SAFETY_MS);
}

/** The last moment a sender holding `lease` may still put the request on the wire. */
export function dispatchDeadline(lease: Date, requestTimeoutMs: number): number {
  return lease.getTime() - requestTimeoutMs - SAFETY_MS;
}
