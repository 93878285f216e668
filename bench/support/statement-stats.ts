import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';

/** pg_stat_statements, when the server preloads it (PG_STAT_STATEMENTS=1): reset, then the top. */
export class StatementStats {
  readonly #db: Kysely<Database>;
  #enabled = false;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async reset(): Promise<void> {
    if (process.env.PG_STAT_STATEMENTS !== '1') return;
    await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`.execute(this.#db);
    await sql`SELECT pg_stat_statements_reset()`.execute(this.#db);
    this.#enabled = true;
  }

  /** The statements that took the most time since the reset, costliest first. */
  async top(limit = 25): Promise<StatementCost[] | undefined> {
    if (!this.#enabled) return undefined;
    const { rows } = await sql<StatementCost>`
      SELECT calls::int, round(total_exec_time)::int AS total_ms,
             round((total_exec_time / greatest(calls, 1))::numeric, 3)::float8 AS mean_ms,
             rows::int, left(regexp_replace(query, '\\s+', ' ', 'g'), 300) AS query
        FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${limit}`.execute(this.#db);
    return rows;
  }
}

export interface StatementCost {
  calls: number;
  total_ms: number;
  mean_ms: number;
  rows: number;
  query: string;
}
