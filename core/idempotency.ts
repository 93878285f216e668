/** How long a stored answer is replayed for a repeated `Idempotency-Key`. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a claim whose request has not finished holds the key before another may take it. */
export const IDEMPOTENCY_KEY_LEASE_MS = 60 * 1000;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

export const IDEMPOTENCY_KEY_MISMATCH =
  'This Idempotency-Key was already used with a different request; use a new key for a new request';

export interface StoredIdempotencyKey {
  fingerprint: string;
  claimedAt: Date;
  completedAt: Date | null;
  statusCode: number | null;
  contentType: string | null;
  body: string | null;
}

export type IdempotencyDecision =
  | { kind: 'replay'; statusCode: number; contentType: string | null; body: string }
  | { kind: 'take_over' }
  | { kind: 'in_progress'; retryAfterSeconds: number }
  | { kind: 'mismatch' };

/** What a request does with a key someone already claimed. */
export function decideOnStoredKey(
  stored: StoredIdempotencyKey,
  fingerprint: string,
  now: Date,
): IdempotencyDecision {
  const age = now.getTime() - stored.claimedAt.getTime();
  if (age >= IDEMPOTENCY_KEY_TTL_MS) return { kind: 'take_over' };
  if (stored.fingerprint !== fingerprint) return { kind: 'mismatch' };
  if (stored.completedAt !== null && stored.statusCode !== null && stored.body !== null) {
    return {
      kind: 'replay',
      statusCode: stored.statusCode,
      contentType: stored.contentType,
      body: stored.body,
    };
  }
  if (age < IDEMPOTENCY_KEY_LEASE_MS) {
    return {
      kind: 'in_progress',
      retryAfterSeconds: Math.max(1, Math.ceil((IDEMPOTENCY_KEY_LEASE_MS - age) / 1000)),
    };
  }
  return { kind: 'take_over' };
}

/** Why a key cannot be used, or null: 1–255 printable ASCII characters. */
export function idempotencyKeyProblem(key: string): string | null {
  if (key.length === 0) return 'Idempotency-Key must not be empty';
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH)
    return `Idempotency-Key must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`;
  if (!/^[\x20-\x7e]+$/.test(key))
    return 'Idempotency-Key must be printable ASCII (letters, digits, punctuation, spaces)';
  return null;
}

/** Only answers that say what happened are kept; a 5xx is the server's, and a retry may succeed. */
export function isStorableAnswer(statusCode: number): boolean {
  return statusCode < 500;
}
