import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideOnStoredKey,
  IDEMPOTENCY_KEY_LEASE_MS,
  IDEMPOTENCY_KEY_TTL_MS,
  idempotencyKeyProblem,
  isStorableAnswer,
  type StoredIdempotencyKey,
} from '../../core/idempotency.ts';

const now = new Date('2026-12-06T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

const completed = (claimedMsAgo: number): StoredIdempotencyKey => ({
  fingerprint: 'f1',
  claimedAt: ago(claimedMsAgo),
  completedAt: ago(claimedMsAgo - 10),
  statusCode: 201,
  contentType: 'application/json',
  body: '{"id":"p1"}',
});

const pending = (claimedMsAgo: number): StoredIdempotencyKey => ({
  ...completed(claimedMsAgo),
  completedAt: null,
  statusCode: null,
  body: null,
});

describe('decideOnStoredKey', () => {
  it('replays a completed answer for the same request', () => {
    expect(decideOnStoredKey(completed(1000), 'f1', now)).toEqual({
      kind: 'replay',
      statusCode: 201,
      contentType: 'application/json',
      body: '{"id":"p1"}',
    });
  });

  it('refuses another request under the same key, finished or not', () => {
    expect(decideOnStoredKey(completed(1000), 'f2', now).kind).toBe('mismatch');
    expect(decideOnStoredKey(pending(1000), 'f2', now).kind).toBe('mismatch');
  });

  it('asks a repeat to wait while the first holds its lease, with a whole-second Retry-After', () => {
    expect(decideOnStoredKey(pending(59_500), 'f1', now)).toEqual({
      kind: 'in_progress',
      retryAfterSeconds: 1,
    });
    expect(decideOnStoredKey(pending(0), 'f1', now)).toEqual({
      kind: 'in_progress',
      retryAfterSeconds: IDEMPOTENCY_KEY_LEASE_MS / 1000,
    });
  });

  it('takes over a claim whose request never answered, once its lease is over', () => {
    expect(decideOnStoredKey(pending(IDEMPOTENCY_KEY_LEASE_MS), 'f1', now).kind).toBe('take_over');
  });

  it('forgets every key after 24 hours, whatever it was used for', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * IDEMPOTENCY_KEY_TTL_MS }),
        fc.boolean(),
        fc.constantFrom('f1', 'f2'),
        (age, done, fingerprint) => {
          const stored = done ? completed(age) : pending(age);
          const decision = decideOnStoredKey(stored, fingerprint, now);
          if (age >= IDEMPOTENCY_KEY_TTL_MS) expect(decision.kind).toBe('take_over');
          else if (fingerprint !== stored.fingerprint) expect(decision.kind).toBe('mismatch');
          else if (done) expect(decision.kind).toBe('replay');
          // A key is never replayed for a request it was not first used for.
          if (decision.kind === 'replay') expect(fingerprint).toBe(stored.fingerprint);
        },
      ),
    );
  });
});

describe('idempotencyKeyProblem', () => {
  it('takes 1–255 printable ASCII characters', () => {
    expect(idempotencyKeyProblem('a')).toBeNull();
    expect(idempotencyKeyProblem('order 42/retry-1')).toBeNull();
    expect(idempotencyKeyProblem('x'.repeat(255))).toBeNull();
    expect(idempotencyKeyProblem('')).toMatch(/empty/);
    expect(idempotencyKeyProblem('x'.repeat(256))).toMatch(/255/);
    expect(idempotencyKeyProblem('nul\u0000')).toMatch(/printable/);
    expect(idempotencyKeyProblem('é')).toMatch(/printable/);
  });
});

describe('isStorableAnswer', () => {
  it('keeps what the request decided, not a server failure a retry may fix', () => {
    expect(isStorableAnswer(201)).toBe(true);
    expect(isStorableAnswer(404)).toBe(true);
    expect(isStorableAnswer(500)).toBe(false);
    expect(isStorableAnswer(503)).toBe(false);
  });
});
