import { Client, Connection } from '@temporalio/client';
import { buildApp } from '../../api/app.ts';
import { loadConfig } from '../../config/env.ts';
import { createDb } from '../../db/connect.ts';

/**
 * The API alone, for benchmarks that measure it as its own process. Temporal is not used
 * by ingest: the client's connection is lazy and never opened.
 */
const config = loadConfig();
const databaseUrl = config.DATABASE_URL ?? '';
const db = createDb({ connectionString: databaseUrl });
const temporal = new Client({ connection: Connection.lazy({ address: config.TEMPORAL_ADDRESS }) });
const app = await buildApp({ config, db, databaseUrl, temporal });
await app.listen({ host: config.API_HOST, port: config.API_PORT });
process.stdout.write(`listening ${config.API_PORT}\n`);
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => db.destroy())
    .then(() => process.exit(0));
});
