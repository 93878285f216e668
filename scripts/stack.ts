import { loadEnvFile } from '../config/env-file.ts';
import { loadConfig } from '../config/env.ts';
import { startStack } from './services/stack.ts';

/**
 * `npm run stack`: PostgreSQL, Temporal (with its UI), the sandbox carriers, the worker and
 * the API, without the demo campaign, until Ctrl-C.
 */
loadEnvFile();
const config = loadConfig();
const say = (line: string) => console.log(`[stack] ${line}`);
const stack = await startStack(config, say);
say(
  `ready: API ${stack.apiUrl} (docs ${stack.apiUrl}/docs), Temporal UI ${stack.temporal.uiUrl ?? config.TEMPORAL_UI_URL}. Ctrl-C stops it.`,
);
const stop = () => {
  say('stopping…');
  void stack.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
