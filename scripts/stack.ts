import { loadEnvFile } from '../config/env-file.ts';
import { loadConfig } from '../config/env.ts';
import { consoleSignIn } from './web/sign-in-hint.ts';
import { ServiceSet, StackStopping } from './services/service-set.ts';
import { startStack } from './services/stack.ts';
import { stopOnSignals } from './services/stop-on-signals.ts';

/**
 * `npm run stack`: PostgreSQL, Temporal (with its UI), the sandbox carriers, the worker and
 * the API, without the demo campaign, until Ctrl-C, SIGTERM or SIGHUP (to this process or to
 * npm), which stop them all before it exits.
 */
loadEnvFile();
const config = loadConfig();
const say = (line: string) => console.log(`[stack] ${line}`);
const services = new ServiceSet(say);
const stopAndExit = stopOnSignals(services, say);
try {
  const stack = await startStack(config, say, services);
  say(`console: ${stack.apiUrl}/ (${consoleSignIn(config.API_KEY)})`);
  say(
    `ready: API ${stack.apiUrl} (docs ${stack.apiUrl}/docs), Temporal UI ${stack.temporal.uiUrl ?? config.TEMPORAL_UI_URL}. Ctrl-C stops it.`,
  );
} catch (error) {
  if (!(error instanceof StackStopping))
    console.error(
      `[stack] could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
  await stopAndExit(error instanceof StackStopping ? 0 : 1);
}
