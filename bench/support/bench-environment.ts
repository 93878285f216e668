import { freePort } from '../../scripts/services/temporal.ts';

/** Its own ports and data directory, so a demo on the default ports is left alone. */
export async function benchEnvironment(dataDir: string): Promise<void> {
  const [api, sandbox, pg, temporal, ui, workerMetrics] = await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  );
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    API_PORT: String(api),
    PUBLIC_BASE_URL: `http://127.0.0.1:${api}`,
    SANDBOX_PORT: String(sandbox),
    EMBEDDED_PG_PORT: String(pg),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporal}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${ui}`,
    WORKER_METRICS_PORT: String(workerMetrics),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
}
