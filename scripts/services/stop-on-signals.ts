import { handleSignalsYourself } from './postgres.ts';
import type { ServiceSet } from './service-set.ts';

/** Longer than all services' own stops together (each escalates to SIGKILL), so only a last resort. */
const GIVE_UP_MS = 90_000;

/**
 * Makes SIGINT, SIGTERM and SIGHUP stop every service of `services`, then exit — whether the
 * signal comes from a Ctrl-C (to the whole process group), from `kill` of this process, or from
 * npm forwarding it. A repeated signal (a Ctrl-C reaches us both directly and through npm) waits
 * for the same stop. Returns the function that stops and exits with a code of one's choosing.
 */
export function stopOnSignals(
  services: ServiceSet,
  log: (line: string) => void,
): (code: number) => Promise<never> {
  handleSignalsYourself();
  let exiting: Promise<never> | undefined;
  const stopAndExit = (code: number): Promise<never> => {
    exiting ??= (async () => {
      log('stopping…');
      setTimeout(() => {
        log(`services still running after ${GIVE_UP_MS / 1000} s; exiting anyway`);
        process.exit(1);
      }, GIVE_UP_MS);
      await services.stop();
      log('stopped');
      process.exit(code);
    })();
    return exiting;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => void stopAndExit(0));
  return stopAndExit;
}
