import {
  PostgresDialect,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { isDatabaseUnavailable } from './errors.ts';

/**
 * Rides out a PostgreSQL restart (a second or two) where doing so cannot do anything twice:
 * - getting a connection is retried for a short while, since nothing has reached the server;
 * - a read that loses its connection is run again once on a fresh one, when it is a lone
 *   statement (not in a transaction) built as a SELECT with no writing CTE or function.
 * Anything else fails at once with the database-unavailable error: the API answers 503 and
 * Temporal retries the activity.
 */
export class RestartTolerantPostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new RestartTolerantDriver(super.createDriver());
  }
}

/** Waits between attempts to get a connection; none is started after RETRY_WINDOW_MS. */
const ACQUIRE_DELAYS_MS = [100, 300, 600];
const RETRY_WINDOW_MS = 1_500;

/** SQL that may write or take a lock beyond the statement, even inside a SELECT. */
const WRITING_SQL = /\b(insert|update|delete|merge|nextval|setval|pg_advisory_\w+|pg_notify)\b/i;

function isLoneRead(query: CompiledQuery): boolean {
  return query.query.kind === 'SelectQueryNode' && !WRITING_SQL.test(query.sql);
}

class RestartTolerantDriver implements Driver {
  readonly #inner: Driver;

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RestartTolerantConnection(await this.acquireInner(), this);
  }

  async acquireInner(): Promise<DatabaseConnection> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#inner.acquireConnection();
      } catch (error) {
        const delay = ACQUIRE_DELAYS_MS[attempt];
        const late = delay === undefined || Date.now() - started + delay > RETRY_WINDOW_MS;
        if (late || !isDatabaseUnavailable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  releaseInner(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(connection);
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    const tolerant = asTolerant(connection);
    tolerant.inTransaction = true;
    await this.#inner.beginTransaction(tolerant.inner(), settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const tolerant = asTolerant(connection);
    try {
      await this.#inner.commitTransaction(tolerant.inner());
    } finally {
      tolerant.inTransaction = false;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const tolerant = asTolerant(connection);
    try {
      await this.#inner.rollbackTransaction(tolerant.inner());
    } finally {
      tolerant.inTransaction = false;
    }
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#inner.savepoint?.(asTolerant(connection).inner(), name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#inner.rollbackToSavepoint?.(asTolerant(connection).inner(), name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#inner.releaseSavepoint?.(asTolerant(connection).inner(), name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await asTolerant(connection).release();
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

function asTolerant(connection: DatabaseConnection): RestartTolerantConnection {
  if (!(connection instanceof RestartTolerantConnection)) {
    throw new Error('a connection from another driver was handed to this one');
  }
  return connection;
}

class RestartTolerantConnection implements DatabaseConnection {
  inTransaction = false;
  #inner: DatabaseConnection | undefined;
  readonly #driver: RestartTolerantDriver;

  constructor(inner: DatabaseConnection, driver: RestartTolerantDriver) {
    this.#inner = inner;
    this.#driver = driver;
  }

  inner(): DatabaseConnection {
    if (this.#inner === undefined) throw new Error('the connection was lost and not replaced');
    return this.#inner;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner().executeQuery<R>(query);
    } catch (error) {
      if (this.inTransaction || !isLoneRead(query) || !isDatabaseUnavailable(error)) throw error;
      // The broken connection goes back (the pool discards it); the read runs on a new one.
      await this.release();
      this.#inner = await this.#driver.acquireInner();
      return this.#inner.executeQuery<R>(query);
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner().streamQuery<R>(query, chunkSize);
  }

  async release(): Promise<void> {
    const inner = this.#inner;
    this.#inner = undefined;
    if (inner !== undefined) await this.#driver.releaseInner(inner);
  }
}
