import { DefaultLogger, Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import { loadConfig } from '../config/env.ts';
import { resolveDatabaseUrl } from '../config/database-url.ts';
import { realActivityDeps } from './deps.ts';
import { createWorker } from './run.ts';
import { loadEnvFile } from '../config/env-file.ts';
import { surviveDatabaseOutages } from '../db/outage-guard.ts';

// Until the worker polls (bundling the workflows takes seconds) there is nothing to drain: a
// stop request then ends the process at once instead of after the bundle and a first poll.
let polling: Worker | undefined = undefined;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (polling === undefined) {
      console.log(`[worker] ${signal} before polling: exiting`);
      process.exit(0);
    }
    console.log(`[worker] ${signal}: shutting down`);
    polling.shutdown();
  });
}

loadEnvFile();
const config = loadConfig();
surviveDatabaseOutages((message) => console.warn(`[worker] ${message}`));
const levels: Record<typeof config.LOG_LEVEL, LogLevel> = {
  fatal: 'ERROR',
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
  trace: 'TRACE',
  silent: 'ERROR',
};
// The SDK logs every state change at INFO; a worker is quiet unless asked otherwise.
Runtime.install({
  logger: new DefaultLogger(config.LOG_LEVEL === 'info' ? 'WARN' : levels[config.LOG_LEVEL]),
});
const deps = realActivityDeps(config, await resolveDatabaseUrl(config));
const { worker, connection } = await createWorker({
  address: config.TEMPORAL_ADDRESS,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  deps,
});
// Graceful shutdown from here on: stop polling, let running activities finish (up to the grace time).
polling = worker;
console.log(
  `[worker] polling task queue ${config.TEMPORAL_TASK_QUEUE} at ${config.TEMPORAL_ADDRESS}`,
);
await worker.run();
await deps.db.destroy();
await connection.close();
console.log('[worker] stopped');
