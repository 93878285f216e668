/**
 * Errors that say the database is away (restarting, unreachable, refusing connections), not
 * that a statement is wrong: the same work succeeds once PostgreSQL is back, so callers answer
 * "retry later" (503) and activities let Temporal retry, instead of failing or crashing.
 */

/** SQLSTATEs of a server going away or not yet ready; the 08 class is connection exceptions. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: a fast shutdown or restart terminated the session
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
]);

/** Socket errors of a server that is down or a connection that broke. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** node-postgres (pg, pg-pool) says these in words only, without a code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated', // "... unexpectedly", "... due to connection timeout"
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Connection ended unexpectedly',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailable(error, 0);
}

function unavailable(error: unknown, depth: number): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined) {
    if (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
    if (UNAVAILABLE_SOCKET_CODES.has(code)) return true;
  }
  const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
  if (UNAVAILABLE_MESSAGES.some((words) => message.includes(words))) return true;
  // A connect that tried several addresses (localhost: ::1 and 127.0.0.1) fails with them all.
  if (error instanceof AggregateError && error.errors.some((e) => unavailable(e, depth + 1))) {
    return true;
  }
  return 'cause' in error && unavailable(error.cause, depth + 1);
}

/**
 * SQLSTATEs of text PostgreSQL cannot store: a NUL character (text and jsonb refuse it) or
 * bytes that are not UTF-8. The input is at fault, not the server: the API answers 400.
 */
const UNSTORABLE_TEXT_SQLSTATES = new Set([
  '22021', // character_not_in_repertoire: "invalid byte sequence for encoding UTF8: 0x00"
  '22P05', // untranslatable_character: "\u0000 cannot be converted to text" (jsonb)
]);

export function isUnstorableText(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    UNSTORABLE_TEXT_SQLSTATES.has(error.code)
  );
}
