import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp, type AppOptions } from '../../api/app.ts';
import { createTandemClient, type TandemClient } from '../../client/index.ts';
import { loadConfig, type Config } from '../../config/env.ts';
import { freshDatabase, type TestDatabase } from './database.ts';
import { injectFetch } from './inject-fetch.ts';

export const TEST_API_KEY = 'test-api-key-123';

export interface TestApi {
  app: FastifyInstance;
  database: TestDatabase;
  temporal: Client;
  config: Readonly<Config>;
  auth: { authorization: string };
  /** The generated typed client (client/), driving this API through `app.inject`. */
  client: TandemClient;
  close(): Promise<void>;
}

/**
 * The real API on a fresh database and the run's Temporal server, driven with `app.inject`.
 * Every test file shares that server: each API gets a task queue and a workflow id scope of its
 * own (conversation ids are built from contact ids, which every fresh database numbers from 1),
 * so no file meets another's workflows, whatever the order or overlap of the files.
 */
export async function startTestApi(
  env: Record<string, string> = {},
  appOptions: AppOptions = {},
): Promise<TestApi> {
  const database = await freshDatabase();
  const own = randomBytes(4).toString('hex');
  const config = loadConfig({
    NODE_ENV: 'test',
    API_KEY: TEST_API_KEY,
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `test-${own}`,
    WORKFLOW_ID_SCOPE: `t${own}`,
    ...env,
  });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = await buildApp(
    { config, db: database.db, databaseUrl: database.url, temporal },
    appOptions,
  );
  await app.ready();
  return {
    app,
    database,
    temporal,
    config,
    auth: { authorization: `Bearer ${TEST_API_KEY}` },
    client: createTandemClient({
      baseUrl: 'http://tandem.test',
      apiKey: TEST_API_KEY,
      fetch: injectFetch(app),
    }),
    close: async () => {
      await app.close();
      await connection.close();
      await database.destroy();
    },
  };
}
