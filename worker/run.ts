import {
  NativeConnection,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import path from 'node:path';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
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
}

export async function buildWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

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
    interceptors: { activity: [databaseFailures] },
    ...(options.bundle === undefined ? { workflowsPath } : { workflowBundle: options.bundle }),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 20,
    shutdownGraceTime: '10 seconds',
  });
  return { worker, connection };
}
