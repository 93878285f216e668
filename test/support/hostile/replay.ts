import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * How the hostile-input test runs, from the environment: HOSTILE_SEED (the run's seed; each
 * operation's is derived from it and the operation's name), HOSTILE_ONLY (one operation, as
 * `POST /v1/campaigns`), HOSTILE_RUNS (requests per operation), HOSTILE_TIMEOUT_MS (the longest
 * an answer may take), HOSTILE_API_LOG (the API's log level, to see the error behind a 500).
 */
const settingsSchema = z.object({
  HOSTILE_SEED: z.coerce.number().int().default(18),
  HOSTILE_ONLY: z.string().min(1).optional(),
  HOSTILE_RUNS: z.coerce.number().int().positive().default(30),
  HOSTILE_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  HOSTILE_API_LOG: z.enum(['error', 'warn', 'info']).optional(),
});

export type HostileSettings = z.infer<typeof settingsSchema>;

export function hostileSettings(env: NodeJS.ProcessEnv = process.env): HostileSettings {
  return settingsSchema.parse(env);
}

/** The operation's own seed: the same for a given HOSTILE_SEED whatever other operations run. */
export function operationSeed(runSeed: number, operation: string): number {
  return createHash('sha256').update(`${runSeed} ${operation}`).digest().readInt32LE(0);
}
