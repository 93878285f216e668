import type { FastifyServerOptions } from 'fastify';
import { stdTimeFunctions } from 'pino';
import { REDACTED_PATHS } from '../observability/process-logger.ts';

export interface LoggerSettings {
  level: string;
  /** Where log lines go (stdout unless given): tests read them here. */
  stream?: { write(line: string): void } | undefined;
}

/** Routes that take an API key: their query strings may carry secrets and are never logged. */
const AUTHENTICATED = /^\/(v1|docs)(\/|\?|$)/;

/** A request URL as the log shows it: an authenticated route's without its query string. */
export function loggedUrl(url: string): string {
  const query = url.indexOf('?');
  return query === -1 || !AUTHENTICATED.test(url) ? url : url.slice(0, query);
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * The API's logger: request lines name the method, the URL (redacted as above), the host and
 * the client address, never a header, so Authorization and cookies cannot reach a log; the
 * redaction paths are there for anything that logs headers itself.
 */
export function loggerOptions(settings: LoggerSettings): FastifyServerOptions['logger'] {
  return {
    level: settings.level,
    ...(settings.stream === undefined ? {} : { stream: settings.stream }),
    base: { service: 'api' },
    timestamp: stdTimeFunctions.isoTime,
    redact: REDACTED_PATHS,
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: loggedUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
}
