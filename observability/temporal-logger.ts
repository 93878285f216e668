import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import type { Logger } from 'pino';

const PINO_LEVEL = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
} as const satisfies Record<LogLevel, string>;

/** The SDK's own components, as opposed to tandem's workflow and activity code. */
const SDK_COMPONENTS = new Set(['worker', 'core']);

/**
 * The Temporal Runtime's logger over pino: the SDK's lines, and workflow and activity lines
 * (`log` from @temporalio/workflow and @temporalio/activity, which the SDK hands here with
 * workflowId, runId, workflowType, activityId, taskQueue and namespace), all become records of
 * the worker's logger with that metadata as fields. The SDK reports every worker state change
 * at INFO: its INFO lines are kept only when the level asks for debug or more.
 */
export function temporalLogger(logger: Logger): TemporalLogger {
  const sdkInfoShown = logger.isLevelEnabled('debug');
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}) => {
    const component: unknown = meta.sdkComponent;
    if (
      level === 'INFO' &&
      typeof component === 'string' &&
      SDK_COMPONENTS.has(component) &&
      !sdkInfoShown
    )
      return;
    logger[PINO_LEVEL[level]](plain(meta), message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

/** Metadata without symbol keys (pino writes string keys only), errors as pino's `err`. */
function plain(meta: LogMetadata): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (key === 'error' && value instanceof Error) fields.err = value;
    else fields[key] = value;
  }
  return fields;
}
