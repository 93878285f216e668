import {
  NativeConnection,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import path from 'node:path';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { activityLogIds } from './activity-log-ids.ts';
import { databaseFailures } from './database-failures.ts';

export const workflowsPath = path.resolve(import.meta.dirname, '..', 'workflows', 'index.ts');

export interface WorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A bundle built once and reused (tests); otherwise built from workflows/. */
  bundle?: WorkflowBundleWithSourceMap;
  maxConcurrentActivityTaskExecutions?: number;
  /** Where the workflow bundler's warnings and errors go (default: stderr). */
  bundlerLog?: { warn(message: string): void; error(message: string): void };
}

export async function buildWorkflowBundle(
  log?: WorkerOptions['bundlerLog'],
): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger(log) });
}

const quietBundlerLogger = (log: WorkerOptions['bundlerLog'] = console) => ({
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => log.warn(message),
  error: (message: string) => log.error(message),
});

/** A Temporal worker for tandem's workflows and activities on one task queue. */
export async function createWorker(
  options: WorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.deps),
    interceptors: { activity: [databaseFailures, activityLogIds] },
    // Bundled here (not by Worker.create) so the bundler's notices go to the worker's log.
    workflowBundle: options.bundle ?? (await buildWorkflowBundle(options.bundlerLog)),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 20,
    shutdownGraceTime: '10 seconds',
  });
  return { worker, connection };
}
