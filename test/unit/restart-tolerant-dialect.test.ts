import {
  Kysely,
  sql,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { RestartTolerantPostgresDialect } from '../../db/restart-tolerant-dialect.ts';

interface Tables {
  items: { id: number; name: string };
}

const lost = () => new Error('Connection terminated unexpectedly');
const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

/**
 * A pool whose connections each answer from a script: `connects` says, per connect, whether it
 * is refused; `answers` is consumed by queries in order (an Error fails that query).
 */
class ScriptedPool implements PostgresPool {
  readonly statements: string[] = [];
  released = 0;
  connected = 0;
  refusals = 0;
  constructor(
    private readonly answers: (Error | 'ok')[],
    private readonly connects: ('refuse' | 'ok')[] = [],
  ) {}

  async connect(): Promise<PostgresPoolClient> {
    if (this.connects.shift() === 'refuse') {
      this.refusals += 1;
      throw refused();
    }
    this.connected += 1;
    return new ScriptedClient(this);
  }

  async end(): Promise<void> {}

  answer(statement: string): Error | 'ok' {
    this.statements.push(statement);
    return this.answers.shift() ?? 'ok';
  }
}

class ScriptedClient implements PostgresPoolClient {
  constructor(private readonly pool: ScriptedPool) {}

  query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(input: string | PostgresCursor<R>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof input !== 'string') throw new Error('cursors are not scripted');
    const answer = this.pool.answer(input);
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve({ command: 'SELECT', rowCount: 0, rows: [] });
  }

  release(): void {
    this.pool.released += 1;
  }
}

const dbOn = (pool: ScriptedPool) =>
  new Kysely<Tables>({ dialect: new RestartTolerantPostgresDialect({ pool }) });

describe('queries across a PostgreSQL restart', () => {
  it('runs a lone read again on a new connection when its connection is lost', async () => {
    const pool = new ScriptedPool([lost(), 'ok']);
    await dbOn(pool).selectFrom('items').selectAll().execute();
    expect(pool.statements).toHaveLength(2);
    expect(pool.connected).toBe(2);
    expect(pool.released).toBe(2);
  });

  it('never runs a write again', async () => {
    const pool = new ScriptedPool([lost(), lost()]);
    const db = dbOn(pool);
    await expect(db.insertInto('items').values({ id: 1, name: 'a' }).execute()).rejects.toThrow(
      /Connection terminated/,
    );
    await expect(
      db
        .with('changed', (qb) => qb.updateTable('items').set({ name: 'b' }).returning('id'))
        .selectFrom('changed')
        .selectAll()
        .execute(),
    ).rejects.toThrow(/Connection terminated/);
    expect(pool.statements).toHaveLength(2);
  });

  it('never runs a read again inside a transaction', async () => {
    const pool = new ScriptedPool(['ok', lost(), 'ok']);
    await expect(
      dbOn(pool)
        .transaction()
        .execute((trx) => trx.selectFrom('items').selectAll().execute()),
    ).rejects.toThrow(/Connection terminated/);
    expect(pool.statements).toEqual(['begin', expect.stringMatching(/^select/), 'rollback']);
  });

  it('fails at once on any other error', async () => {
    const syntax = Object.assign(new Error('syntax error'), { code: '42601' });
    const pool = new ScriptedPool([syntax]);
    await expect(sql`select 1`.execute(dbOn(pool))).rejects.toThrow(/syntax error/);
    await expect(
      dbOn(new ScriptedPool([syntax]))
        .selectFrom('items')
        .selectAll()
        .execute(),
    ).rejects.toThrow(/syntax error/);
  });

  it('waits briefly for a server that refuses connections while it restarts', async () => {
    const pool = new ScriptedPool([], ['refuse', 'refuse']);
    await dbOn(pool).insertInto('items').values({ id: 1, name: 'a' }).execute();
    expect(pool.statements).toHaveLength(1);
  });

  it('gives up on a server that stays away', async () => {
    const pool = new ScriptedPool([], Array<'refuse'>(10).fill('refuse'));
    await expect(dbOn(pool).selectFrom('items').selectAll().execute()).rejects.toThrow(
      /ECONNREFUSED/,
    );
    // It stopped asking on its own, long before the server would have answered.
    expect(pool.refusals).toBeGreaterThan(1);
    expect(pool.refusals).toBeLessThan(10);
    expect(pool.statements).toHaveLength(0);
  });
});
