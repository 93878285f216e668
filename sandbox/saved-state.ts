import { z } from 'zod';
import { settingsJson } from './control.ts';
import type { Sandbox } from './sandbox.ts';

/**
 * What a sandbox process keeps across restarts: the configuration it has been given (accounts,
 * numbers and their behaviour, recipients, replies, Blooio keys and lines), the opt-outs its
 * people have sent, and the Blooio line each contact sticks to — what a real carrier account
 * remembers. Messages, the ledger and counters are a run's record and start empty. Fault rules
 * are not kept either: they are a test's instrument, and one left behind would break the next
 * run without a word.
 */
const savedStateSchema = z.object({
  version: z.literal(1),
  config: z.record(z.string(), z.unknown()),
  optOuts: z.array(z.tuple([z.string(), z.string()])),
  blooioLines: z.array(z.tuple([z.string(), z.string(), z.string()])),
});
export type SavedState = z.infer<typeof savedStateSchema>;

export function snapshot(sandbox: Sandbox): SavedState {
  const { faults: _faults, ...config } = settingsJson(sandbox.ctx.settings);
  return {
    version: 1,
    config,
    optOuts: sandbox.twilio.optOuts.entries(),
    blooioLines: sandbox.blooio.pools.entries(),
  };
}

/** Parses a saved file's contents; throws (with zod's reasons) when it is not one. */
export function parseSavedState(text: string): SavedState {
  return savedStateSchema.parse(JSON.parse(text));
}

/**
 * Puts a saved state back: its configuration merged in, then the process's starting
 * configuration again (the environment may have changed the URLs or the account since), then the
 * opt-outs and lines.
 */
export function restore(sandbox: Sandbox, state: SavedState): void {
  sandbox.configure(state.config);
  sandbox.applyStartingConfiguration();
  for (const [sender, recipient] of state.optOuts) sandbox.twilio.optOuts.block(sender, recipient);
  for (const [apiKey, contact, number] of state.blooioLines)
    sandbox.blooio.pools.remember(apiKey, contact, number);
}
