import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParsedResults<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/** A command line that does not say something runnable: one line on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command's own help was asked for (`--help`): printed on stdout, exit code 0. */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
  constructor(readonly text: string) {
    super(text);
  }
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  api: { type: 'string' },
} as const;

/**
 * parseArgs for one command (give it COMMON_OPTIONS too); `--help` anywhere asks for the
 * command's usage, and parseArgs's errors (an unknown option, a missing value) become a
 * UsageError naming the command.
 */
export function parseCommand<T extends ParseArgsConfig & { args: string[] }>(
  command: string,
  usage: string,
  config: T,
): ParsedResults<T> {
  if (config.args.includes('--help') || config.args.includes('-h'))
    throw new HelpRequested(`usage: npm run tandem -- ${usage}`);
  try {
    return parseArgs(config);
  } catch (error) {
    const reason =
      error instanceof Error ? (error.message.split(/\n|\. /)[0] ?? '') : String(error);
    throw new UsageError(`${command}: ${reason} (usage: ${usage})`);
  }
}

/** The positional at `index`, or a UsageError that says which one is missing. */
export function required(positionals: string[], index: number, name: string, usage: string) {
  const value = positionals[index];
  if (value === undefined || value === '')
    throw new UsageError(`missing ${name} (usage: ${usage})`);
  return value;
}

/** A number option, or a UsageError when the value is not one. */
export function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number))
    throw new UsageError(`--${name} must be a number, got "${value}"`);
  return number;
}
