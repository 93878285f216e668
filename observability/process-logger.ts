import { pino, type Logger } from 'pino';
import type { Config } from '../config/env.ts';
import { logDestination } from './log-destination.ts';

/** Redaction paths for anything that logs a request's headers itself. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

/**
 * A process's logger (`service` names it: api, worker): one JSON object a line with `time`,
 * `level`, `msg` and the fields given, or readable lines with LOG_FORMAT=plain.
 */
export function createProcessLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  service: string,
): Logger {
  const options = {
    level: config.LOG_LEVEL,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: REDACTED_PATHS,
  };
  const destination = logDestination(config.LOG_FORMAT);
  return destination === undefined ? pino(options) : pino(options, destination);
}
