import { Client } from '@temporalio/client';
import { buildApp } from '../../api/app.ts';
import { loadConfig } from '../../config/env.ts';
import { createDb } from '../../db/connect.ts';

/**
 * The API's OpenAPI document, as `/docs/json` serves it, built without a running stack: the
 * routes are registered but nothing connects (the database pool and Temporal are lazy).
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({ NODE_ENV: 'test' });
  const db = createDb({ connectionString: 'postgres://127.0.0.1:1/unused', max: 1 });
  const app = await buildApp({
    config,
    db,
    databaseUrl: 'postgres://127.0.0.1:1/unused',
    temporal: new Client(),
  });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await db.destroy();
  }
}
