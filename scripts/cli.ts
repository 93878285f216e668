import { loadEnvFile } from '../config/env-file.ts';
import { loadConfig } from '../config/env.ts';
import { apiClient } from './cli/api-client.ts';
import { AUDIENCE_IMPORT_USAGE, audienceImport } from './cli/audience-import.ts';
import {
  CAMPAIGN_CREATE_USAGE,
  CAMPAIGN_LAUNCH_USAGE,
  CAMPAIGN_STATUS_USAGE,
  campaignCreate,
  campaignLaunch,
  campaignStatus,
} from './cli/campaign-commands.ts';
import {
  KEYS_CREATE_USAGE,
  KEYS_LIST_USAGE,
  KEYS_REVOKE_USAGE,
  keysCreate,
  keysList,
  keysRevoke,
} from './cli/key-commands.ts';
import { POOL_ADD_NUMBER_USAGE, poolAddNumber } from './cli/pool-commands.ts';
import { HelpRequested, UsageError } from './cli/usage.ts';
import type { ApiClient } from './cli/api-client.ts';

/**
 * `npm run tandem -- <group> <command> …`: each command calls the `/v1` API only. Exit codes:
 * 0 done, 1 the API (or the file system) said no, 2 the command line was wrong. Errors are one
 * line on stderr, never a stack trace.
 */
type Command = (args: string[], client: (api: string | undefined) => ApiClient) => Promise<void>;

const commands: Record<string, { run: Command; usage: string }> = {
  'audience import': { run: audienceImport, usage: AUDIENCE_IMPORT_USAGE },
  'campaign create': { run: campaignCreate, usage: CAMPAIGN_CREATE_USAGE },
  'campaign launch': { run: campaignLaunch, usage: CAMPAIGN_LAUNCH_USAGE },
  'campaign status': { run: campaignStatus, usage: CAMPAIGN_STATUS_USAGE },
  'pool add-number': { run: poolAddNumber, usage: POOL_ADD_NUMBER_USAGE },
  'keys create': { run: keysCreate, usage: KEYS_CREATE_USAGE },
  'keys list': { run: keysList, usage: KEYS_LIST_USAGE },
  'keys revoke': { run: keysRevoke, usage: KEYS_REVOKE_USAGE },
};

const HELP = `usage: npm run tandem -- <command> [options]

commands:
${Object.values(commands)
  .map(({ usage }) => `  ${usage}`)
  .join('\n')}

Every command talks to the API at --api URL (default http://API_HOST:API_PORT from the
environment or .env) with API_KEY (keys commands need an admin key). Add --help to a command for its usage alone.
Exit codes: 0 done, 1 refused by the API, 2 a wrong command line.`;

async function main(argv: string[]): Promise<void> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    if (argv.length === 0)
      throw new UsageError('no command given (npm run tandem -- --help lists them)');
    console.log(HELP);
    return;
  }
  const key = argv.slice(0, 2).join(' ');
  const command = commands[key];
  if (command === undefined)
    throw new UsageError(
      `unknown command "${key}"; commands: ${Object.keys(commands).join(', ')} (npm run tandem -- --help)`,
    );
  loadEnvFile();
  const config = loadConfig();
  const client = (api: string | undefined) => {
    let base: URL;
    try {
      base = new URL(api ?? `http://${config.API_HOST}:${config.API_PORT}`);
    } catch {
      throw new UsageError(`--api must be a URL such as http://127.0.0.1:3000, got "${api}"`);
    }
    return apiClient(base, config.API_KEY);
  };
  await command.run(argv.slice(2), client);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof HelpRequested) {
    console.log(error.text);
  } else if (error instanceof UsageError) {
    console.error(`tandem: ${error.message}`);
    process.exitCode = 2;
  } else {
    // ApiFailure, ConfigError, a file that cannot be read: the message says it all.
    console.error(`tandem: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
