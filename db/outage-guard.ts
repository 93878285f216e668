import { isDatabaseUnavailable } from './errors.ts';

/**
 * Last line of defence for a long-running process (the API, the worker): a connection error
 * that escapes as an 'error' event nobody listens to, or as a rejection nobody awaits, would
 * end the process (Node's default) for a database that is back seconds later, and nothing
 * would restart it. Such errors are logged and survived. Anything else still ends the
 * process, printed as Node prints it, with exit code 1.
 */
export interface OutageLog {
  warn(message: string): void;
  /** The error that ends the process (default: printed as Node prints it). */
  fatal?(error: unknown): void;
}

export function surviveDatabaseOutages(log: OutageLog): void {
  const fatal = log.fatal ?? ((error: unknown) => console.error(error));
  process.on('uncaughtException', (error, origin) => {
    if (isDatabaseUnavailable(error)) {
      log.warn(`[db] database unavailable (${origin}, survived): ${describe(error)}`);
      return;
    }
    fatal(error);
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    if (isDatabaseUnavailable(reason)) {
      log.warn(`[db] database unavailable (unhandled rejection, survived): ${describe(reason)}`);
      return;
    }
    fatal(reason);
    process.exit(1);
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
