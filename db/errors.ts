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
