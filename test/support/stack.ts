import { randomBytes } from 'node:crypto';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import type { NativeConnection } from '@temporalio/worker';
import { createBlooioClient } from '../../activities/carriers/blooio.ts';
import { createTwilioClient } from '../../activities/carriers/twilio.ts';
import { twilioSmsCarrier } from '../../activities/carriers/sms.ts';
import type { ConfigureInput } from '../../sandbox/config.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { freePort } from '../../scripts/services/temporal.ts';
import { buildWorkflowBundle, createWorker } from '../../worker/run.ts';
import { startTestApi, type TestApi } from './api.ts';

export interface CampaignStack {
  /** Environment for running `worker/main.ts` as a separate process against this stack. */
  workerEnv: Record<string, string>;
  api: TestApi;
  sandbox: RunningSandbox;
  apiUrl: string;
  taskQueue: string;
  /** Activities the in-process worker is running right now (0 without one). */
  activitiesInFlight(): number;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/** What activities read the time from, and how they wait for an instant by it. */
export interface WorkerClock {
  now: () => Date;
  sleepUntil: (at: Date, signal: AbortSignal) => Promise<void>;
}

let bundle: ReturnType<typeof buildWorkflowBundle> | undefined;
let runtimeInstalled = false;

/**
 * The whole pipeline in one test file: the real API listening on a port (so the sandbox's
 * signed callbacks arrive over HTTP), the sandbox carriers, and a worker on its own task queue.
 */
export async function startCampaignStack(
  options: {
    env?: Record<string, string>;
    sandbox?: ConfigureInput;
    inProcessWorker?: boolean;
    /** The in-process worker's clock (see TestClock); the real one by default. */
    clock?: WorkerClock;
    /** The API's log level (to stderr); no log by default. */
    apiLogLevel?: 'error' | 'warn' | 'info';
  } = {},
): Promise<CampaignStack> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  bundle ??= buildWorkflowBundle();
  const sandbox = await startSandbox({ config: options.sandbox ?? {} });
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const api = await startTestApi(
    {
      TWILIO_BASE_URL: sandbox.url,
      BLOOIO_BASE_URL: `${sandbox.url}/v2/api`,
      PUBLIC_BASE_URL: apiUrl,
      TEMPORAL_TASK_QUEUE: taskQueue,
      CAMPAIGN_CHECK_SECONDS: '1',
      STATUS_TIMEOUT_SECONDS: '30',
      // API, sandbox and worker share one event loop here: dispatch jitter is far larger than
      // in a deployment, so keep more of each number's MPS free (see db/sender-reservations.ts).
      RATE_LIMIT_HEADROOM: '0.15',
      ...options.env,
    },
    options.apiLogLevel === undefined ? {} : { logger: { level: options.apiLogLevel } },
  );
  await api.app.listen({ host: '127.0.0.1', port: apiPort });
  sandbox.configure({
    inboundUrl: `${apiUrl}/webhooks/twilio/inbound`,
    blooio: { webhookUrl: `${apiUrl}/webhooks/blooio` },
  });

  let running: { worker: Worker; connection: NativeConnection; done: Promise<void> } | undefined;
  const startWorker = async () => {
    const { worker, connection } = await createWorker({
      address: api.config.TEMPORAL_ADDRESS,
      namespace: api.config.TEMPORAL_NAMESPACE,
      taskQueue,
      bundle: await (bundle ?? buildWorkflowBundle()),
      deps: {
        db: api.database.db,
        sms: twilioSmsCarrier(createTwilioClient(api.config)),
        blooio: createBlooioClient(api.config),
        config: api.config,
        clock: options.clock?.now ?? (() => new Date()),
        ...(options.clock === undefined ? {} : { sleepUntil: options.clock.sleepUntil }),
      },
    });
    running = { worker, connection, done: worker.run() };
  };
  const stopWorker = async () => {
    if (running === undefined) return;
    running.worker.shutdown();
    await running.done;
    await running.connection.close();
    running = undefined;
  };
  if (options.inProcessWorker !== false) await startWorker();
  return {
    api,
    sandbox,
    apiUrl,
    workerEnv: {
      DATABASE_URL: api.database.url,
      TEMPORAL_ADDRESS: api.config.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKFLOW_ID_SCOPE: api.config.WORKFLOW_ID_SCOPE,
      TWILIO_BASE_URL: sandbox.url,
      BLOOIO_BASE_URL: `${sandbox.url}/v2/api`,
      PUBLIC_BASE_URL: apiUrl,
      STATUS_TIMEOUT_SECONDS: '30',
      CAMPAIGN_CHECK_SECONDS: '1',
      LOG_LEVEL: 'warn',
      // Several worker processes may run at once (test files in parallel): any free port.
      WORKER_METRICS_PORT: '0',
      ...options.env,
    },
    taskQueue,
    activitiesInFlight: () => running?.worker.getStatus().numInFlightActivities ?? 0,
    startWorker,
    stopWorker,
    close: async () => {
      await stopWorker();
      await sandbox.close();
      await api.close();
    },
  };
}
