import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './tables.ts';

// bigint (int8) ids come back as strings: JavaScript numbers cannot hold every int8.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export type Db = Kysely<Database>;

export interface DbOptions {
  connectionString: string;
  max?: number;
}

export function createDb({ connectionString, max = 10 }: DbOptions): Db {
  const pool = new pg.Pool({ connectionString, max });
  // An idle connection the server closes (a restart, a shutdown) is not a reason to crash:
  // the pool drops it and opens a new one when next needed.
  pool.on('error', (error) => console.warn(`[db] idle connection closed: ${error.message}`));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
