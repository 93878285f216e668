import { Kysely } from 'kysely';
import pg from 'pg';
import { prepareMarkedStatements } from './prepared.ts';
import { RestartTolerantPostgresDialect } from './restart-tolerant-dialect.ts';
import type { Database } from './tables.ts';

// bigint (int8) ids come back as strings: JavaScript numbers cannot hold every int8.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export type Db = Kysely<Database>;

export interface DbOptions {
  connectionString: string;
  max?: number;
  /**
   * Longest wait for a connection, new or free in a busy pool; then the query fails (a
   * database-unavailable error). Unset: wait as long as it takes.
   */
  connectTimeoutMs?: number;
  /**
   * Longest a statement may run before PostgreSQL cancels it. (pg's client-side
   * `query_timeout` is not used: it abandons a query the server is still running, on a
   * connection that goes back to the pool.)
   */
  statementTimeoutMs?: number;
  /**
   * Send the statements marked PREPARED as named statements (default). Off for a connection
   * pooler that does not keep them (PgBouncer before 1.21 in transaction mode).
   */
  preparedStatements?: boolean;
  /** Where the pool's own notices go (an idle connection the server closed); default stderr. */
  warn?: (message: string) => void;
}

export function createDb({
  connectionString,
  max = 10,
  connectTimeoutMs,
  statementTimeoutMs,
  preparedStatements = true,
  warn = (message) => console.warn(message),
}: DbOptions): Db {
  const pool = new pg.Pool({
    connectionString,
    max,
    // A server that vanished without closing its sockets is noticed in minutes, not hours.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(connectTimeoutMs === undefined ? {} : { connectionTimeoutMillis: connectTimeoutMs }),
    ...(statementTimeoutMs === undefined ? {} : { statement_timeout: statementTimeoutMs }),
    // Prepared statements are planned for their values every time, as unnamed ones are: a
    // generic plan made while a table was small (a sequential scan) would outlive its growth.
    ...(preparedStatements ? { options: '-c plan_cache_mode=force_custom_plan' } : {}),
  });
  // An idle connection the server closes (a restart, a shutdown) is not a reason to crash:
  // the pool drops it and opens a new one when next needed.
  pool.on('error', (error) => warn(`[db] idle connection closed: ${error.message}`));
  // A connection that breaks while checked out emits 'error' on its client, where the pool
  // no longer listens: unheard, that event ends the process. The statement it was running
  // fails with the same error, and the pool discards the client on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    if (preparedStatements) prepareMarkedStatements(client);
  });
  return new Kysely<Database>({ dialect: new RestartTolerantPostgresDialect({ pool }) });
}
