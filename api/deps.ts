import type { Client } from '@temporalio/client';
import type { Config } from '../config/env.ts';
import type { Db } from '../db/connect.ts';

/** What route plugins get: built by api/main.ts, or by a test with its own database. */
export interface ApiDeps {
  config: Readonly<Config>;
  db: Db;
  /** The same database's URL, for work that needs a raw connection (COPY). */
  databaseUrl: string;
  temporal: Client;
}
