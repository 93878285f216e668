import type { DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat } from '../config/env.ts';

/**
 * Where a process's pino loggers write: stdout as JSON lines (pino's own output) for `json`;
 * for `plain`, the same records made readable by pino-pretty, synchronously so nothing is
 * lost when the process exits. Undefined means pino's default (JSON on stdout).
 */
export function logDestination(format: LogFormat): DestinationStream | undefined {
  if (format === 'json') return undefined;
  return pretty({
    colorize: false,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    messageFormat: '[{service}] {msg}',
  });
}
