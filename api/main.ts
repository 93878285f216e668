import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config/env.ts';
import { createDb } from '../db/connect.ts';
import { surviveDatabaseOutages } from '../db/outage-guard.ts';
import { resolveDatabaseUrl } from '../config/database-url.ts';
import { buildApp } from './app.ts';
import { ensureWebhookDeliveries } from './webhook-delivery-start.ts';
import { loadEnvFile } from '../config/env-file.ts';
import { createProcessLogger } from '../observability/process-logger.ts';
import { logDestination } from '../observability/log-destination.ts';

loadEnvFile();
const config = loadConfig();
const logger = createProcessLogger(config, 'api');
surviveDatabaseOutages({
  warn: (message) => logger.warn(message),
  fatal: (error) => logger.fatal({ err: error }, 'uncaught error: exiting'),
});
const databaseUrl = await resolveDatabaseUrl(config);
// A request never waits long on a database that is away: it gets a 503 within seconds (a
// webhook's carrier retries it), and no request holds a connection beyond half a minute.
const db = createDb({
  connectionString: databaseUrl,
  max: 20,
  connectTimeoutMs: 3_000,
  statementTimeoutMs: 30_000,
  preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
  warn: (message) => logger.warn(message),
});
const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
const app = await buildApp(
  { config, db, databaseUrl, temporal },
  {
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : { level: config.LOG_LEVEL, stream: logDestination(config.LOG_FORMAT) },
  },
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void (async () => {
      await app.close();
      await db.destroy();
      await connection.close();
      process.exit(0);
    })();
  });
}
await app.listen({ host: config.API_HOST, port: config.API_PORT });
// Serves endpoints whose workflow a request stored but did not get to start (it died between).
ensureWebhookDeliveries(db, temporal, config).catch((error: unknown) =>
  app.log.error({ err: error }, 'could not start webhook delivery workflows'),
);
