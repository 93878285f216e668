import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatchDeadline, leaseUntil } from '../../core/claim-lease.ts';
import type { RetryPolicy } from '../../core/carrier-errors.ts';
import {
  acceptedStatus,
  afterFailure,
  ambiguousFailure,
  httpErrorAnswer,
  settle,
  transportAnswer,
  type SendAnswer,
} from '../../core/send-outcome.ts';

const policy: RetryPolicy = { max_attempts: 3, backoff_seconds: 60 };
const now = new Date('2026-11-29T12:00:00Z');
const options = (attemptsBefore: number) => ({
  attemptsBefore,
  policy,
  now,
  resolveAfterMs: 10_000,
});

describe('what a request to the carrier came to', () => {
  it('treats timeouts, resets and 5xx as ambiguous: the carrier may have created the message', () => {
    expect(transportAnswer('ECONNABORTED', 'timeout of 5000ms exceeded').kind).toBe('ambiguous');
    expect(transportAnswer(undefined, 'timeout of 5000ms exceeded')).toEqual({
      kind: 'ambiguous',
      failure: { kind: 'timeout' },
    });
    expect(transportAnswer('ECONNRESET', 'socket hang up').kind).toBe('ambiguous');
    expect(httpErrorAnswer(500, 20500).kind).toBe('ambiguous');
    expect(httpErrorAnswer(503, null).kind).toBe('ambiguous');
  });

  it('treats refusals as proof that nothing was created, and a refused connection as not sent', () => {
    expect(httpErrorAnswer(429, 20429)).toEqual({
      kind: 'refused',
      failure: { kind: 'twilio_error', code: 20429 },
    });
    expect(httpErrorAnswer(400, 21211).kind).toBe('refused');
    expect(httpErrorAnswer(404, null)).toEqual({
      kind: 'refused',
      failure: { kind: 'http', provider: 'twilio', status: 404 },
    });
    expect(transportAnswer('ECONNREFUSED', 'connect ECONNREFUSED').kind).toBe('not_sent');
  });

  it('rebuilds the failure of an ambiguous attempt from its stored code', () => {
    expect(ambiguousFailure(null)).toEqual({ kind: 'timeout' });
    expect(ambiguousFailure(503)).toEqual({ kind: 'http', provider: 'twilio', status: 503 });
  });
});

const answers = fc.oneof(
  fc.record({
    kind: fc.constant('accepted' as const),
    sid: fc.constant('SM1'),
    carrierStatus: fc.constantFrom('queued', 'accepted', 'sent', 'failed', 'delivered'),
  }),
  fc.integer({ min: 500, max: 599 }).map((status): SendAnswer => httpErrorAnswer(status, null)),
  fc
    .constantFrom(20429, 21211, 21610, 30007, 21606)
    .map((code): SendAnswer => httpErrorAnswer(400, code)),
  fc
    .constantFrom('ECONNRESET', 'ECONNABORTED', 'ECONNREFUSED')
    .map((code) => transportAnswer(code, code)),
);

describe('settling a claimed row', () => {
  it('never makes an ambiguous send due for a resend: it is asked about first', () => {
    fc.assert(
      fc.property(answers, fc.integer({ min: 0, max: 5 }), (answer, before) => {
        const settled = settle(answer, options(before));
        if (answer.kind === 'ambiguous') {
          expect(settled.status).toBe('unknown');
          expect(settled.nextAttemptAt?.getTime()).toBe(now.getTime() + 10_000);
        } else {
          expect(settled.status).not.toBe('unknown');
        }
      }),
    );
  });

  it('counts an attempt exactly when the request left tandem', () => {
    fc.assert(
      fc.property(answers, fc.integer({ min: 0, max: 5 }), (answer, before) => {
        expect(settle(answer, options(before)).attempted).toBe(answer.kind !== 'not_sent');
      }),
    );
  });

  it('always leaves a non-final row without a sid with a time it comes due', () => {
    fc.assert(
      fc.property(answers, fc.integer({ min: 0, max: 5 }), (answer, before) => {
        const settled = settle(answer, options(before));
        if (settled.sid === null && !settled.final) expect(settled.nextAttemptAt).not.toBeNull();
        if (settled.final) expect(settled.nextAttemptAt).toBeNull();
      }),
    );
  });

  it('gives every row left waiting the reason it waits, and no other row one', () => {
    fc.assert(
      fc.property(answers, fc.integer({ min: 0, max: 5 }), (answer, before) => {
        const settled = settle(answer, options(before));
        const waiting = settled.sid === null && !settled.final;
        expect(settled.waitReason !== null).toBe(waiting);
        expect(settled.misconfiguredSender !== null).toBe(
          answer.kind === 'refused' &&
            answer.failure.kind === 'twilio_error' &&
            answer.failure.code === 21606,
        );
      }),
    );
  });

  it('stores accepted sends as queued or sent, leaving final statuses to the status events', () => {
    expect(acceptedStatus('accepted')).toBe('queued');
    expect(acceptedStatus('sent')).toBe('sent');
    expect(acceptedStatus('failed')).toBe('queued');
    expect(acceptedStatus('delivered')).toBe('queued');
  });

  it('retries a send proven not created until the policy runs out, then fails it', () => {
    const retry = afterFailure({ kind: 'timeout' }, 1, policy, now, false);
    expect(retry).toMatchObject({ status: 'pending', final: false, attempted: false });
    expect(retry.nextAttemptAt?.getTime()).toBe(now.getTime() + 60_000);
    expect(afterFailure({ kind: 'timeout' }, 3, policy, now, false)).toMatchObject({
      status: 'failed',
      final: true,
    });
    expect(settle(httpErrorAnswer(400, 21211), options(0))).toMatchObject({
      status: 'failed',
      errorCode: 21211,
      final: true,
    });
  });
});

describe('claim leases', () => {
  it('end only after a request dispatched by the deadline has timed out', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.integer({ min: 100, max: 8_000 }),
        (at, timeoutMs) => {
          const lease = leaseUntil(new Date(at), timeoutMs);
          const deadline = dispatchDeadline(lease, timeoutMs);
          expect(deadline).toBeGreaterThanOrEqual(at);
          expect(deadline + timeoutMs).toBeLessThan(lease.getTime());
        },
      ),
    );
  });
});
