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
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
