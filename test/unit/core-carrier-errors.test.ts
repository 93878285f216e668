import { describe, expect, it } from 'vitest';
import { classifyFailure, retryDecision, TWILIO_ERRORS } from '../../core/carrier-errors.ts';
import type { Failure } from '../../core/carrier-errors.ts';

const policy = { max_attempts: 3, backoff_seconds: 10, max_backoff_seconds: 15 };
const twilio = (code: number): Failure => ({ kind: 'twilio_error', code });

describe('error table', () => {
  it('covers every code the campaign logic relies on, each with a reason', () => {
    const required = [
      30001, 30002, 30003, 30004, 30005, 30006, 30007, 30008, 30010, 30032, 30034, 21211, 21408,
      21606, 21610, 21612, 21614, 20429,
    ];
    for (const code of required) expect(TWILIO_ERRORS.get(code)?.reason).toBeTruthy();
  });

  it.each([
    [30003, 'transient'],
    [30008, 'transient'],
    [20429, 'transient'],
    [30007, 'sender'],
    [30034, 'sender'],
    [21211, 'permanent_recipient'],
    [21614, 'permanent_recipient'],
    [30005, 'permanent_recipient'],
    [30006, 'permanent_recipient'],
    [21610, 'opted_out'],
    [21408, 'account'],
  ] as const)('%i is %s', (code, errorClass) => {
    expect(classifyFailure(twilio(code)).class).toBe(errorClass);
  });

  it('classifies HTTP statuses, timeouts and network errors', () => {
    expect(classifyFailure({ kind: 'http', provider: 'twilio', status: 429 }).class).toBe(
      'transient',
    );
    expect(classifyFailure({ kind: 'http', provider: 'twilio', status: 502 }).class).toBe(
      'transient',
    );
    expect(classifyFailure({ kind: 'timeout' }).class).toBe('transient');
    expect(classifyFailure({ kind: 'network', detail: 'ECONNRESET' }).reason).toMatch(/ECONNRESET/);
  });
});

describe('retryDecision', () => {
  it('retries transient and sender failures from a different number with capped exponential back-off', () => {
    expect(retryDecision(twilio(30003), 1, policy)).toMatchObject({
      action: 'retry',
      delayMs: 10_000,
      differentNumber: true,
    });
    expect(retryDecision(twilio(30007), 2, policy)).toMatchObject({
      action: 'retry',
      delayMs: 15_000,
      errorClass: 'sender',
    });
    expect(retryDecision(twilio(30003), 3, policy)).toMatchObject({
      action: 'give_up',
      reason: expect.stringMatching(/gave up after 3 attempts/),
    });
  });

  it('never retries permanent, opted-out or account failures', () => {
    for (const code of [21211, 21614, 30005, 30006, 21610, 30002, 21408]) {
      expect(retryDecision(twilio(code), 1, policy).action).toBe('give_up');
    }
  });

  it('retries unknown codes as transient', () => {
    expect(retryDecision(twilio(39999), 1, policy)).toMatchObject({
      action: 'retry',
      errorClass: 'transient',
      reason: expect.stringMatching(/Unclassified/),
    });
  });

  it('handles Blooio: 503 retried on the same line, 400/403 not retried', () => {
    expect(
      retryDecision({ kind: 'http', provider: 'blooio', status: 503 }, 1, policy),
    ).toMatchObject({ action: 'retry', differentNumber: false });
    expect(retryDecision({ kind: 'http', provider: 'blooio', status: 400 }, 1, policy).action).toBe(
      'give_up',
    );
    expect(retryDecision({ kind: 'http', provider: 'blooio', status: 403 }, 1, policy).action).toBe(
      'give_up',
    );
  });
});
