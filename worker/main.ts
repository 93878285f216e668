import { Runtime, type Worker } from '@temporalio/worker';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { loadConfig } from '../config/env.ts';
import { resolveDatabaseUrl } from '../config/database-url.ts';
import { realActivityDeps } from './deps.ts';
import { createWorker } from './run.ts';
import { loadEnvFile } from '../config/env-file.ts';
import { surviveDatabaseOutages } from '../db/outage-guard.ts';
import { createProcessLogger } from '../observability/process-logger.ts';
import { temporalLogger } from '../observability/temporal-logger.ts';
import { statusLagObserver } from '../observability/status-lag.ts';
import { carrierRequestCounter, meteredBlooio, meteredSms } from './carrier-metrics.ts';
import { freeLoopbackPort, startMetricsServer } from './metrics-server.ts';

// Until the worker polls (bundling the workflows takes seconds) there is nothing to drain: a
// stop request then ends the process at once instead of after the bundle and a first poll.
let polling: Worker | undefined = undefined;
let onStop: (signal: NodeJS.Signals) => void = (signal) => {
  console.log(`[worker] ${signal} before polling: exiting`);
  process.exit(0);
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => onStop(signal));

loadEnvFile();
const config = loadConfig();
const logger = createProcessLogger(config, 'worker');
onStop = (signal) => {
  if (polling === undefined) {
    logger.info({ signal }, 'stop requested before polling: exiting');
    process.exit(0);
  }
  logger.info({ signal }, 'stop requested: shutting down');
  polling.shutdown();
};
surviveDatabaseOutages({
  warn: (message) => logger.warn(message),
  fatal: (error) => logger.fatal({ err: error }, 'uncaught error: exiting'),
});

// The SDK's Prometheus exporter listens on a loopback port of its own; the worker's /metrics
// fetches and appends its exposition, so a scraper needs only WORKER_METRICS_HOST:PORT.
const sdkMetricsPort = await freeLoopbackPort();
Runtime.install({
  logger: temporalLogger(logger),
  telemetryOptions: {
    logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
    metrics: {
      prometheus: {
        bindAddress: `127.0.0.1:${sdkMetricsPort}`,
        useSecondsForDurations: true,
      },
    },
  },
});
const registry = new Registry();
collectDefaultMetrics({ register: registry });
const carrierRequests = carrierRequestCounter(registry);
const onStatusApplied = statusLagObserver(registry);
const metricsServer = await startMetricsServer({
  host: config.WORKER_METRICS_HOST,
  port: config.WORKER_METRICS_PORT,
  registry,
  sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics`,
});
logger.info({ url: metricsServer.url }, 'metrics served');

const real = realActivityDeps(config, await resolveDatabaseUrl(config), (message) =>
  logger.warn(message),
);
const deps = {
  ...real,
  sms: meteredSms(real.sms, carrierRequests),
  blooio: meteredBlooio(real.blooio, carrierRequests),
  onStatusApplied,
};
const { worker, connection } = await createWorker({
  address: config.TEMPORAL_ADDRESS,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  deps,
  bundlerLog: logger,
});
// Graceful shutdown from here on: stop polling, let running activities finish (up to the grace time).
polling = worker;
logger.info(
  { taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS },
  'polling the task queue',
);
await worker.run();
await deps.db.destroy();
await connection.close();
await metricsServer.close();
logger.info('stopped');
