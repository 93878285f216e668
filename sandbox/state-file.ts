import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sandbox } from './sandbox.ts';
import { parseSavedState, restore, snapshot } from './saved-state.ts';

/** How often a changed state is written: a kill -9 loses at most this much. */
const SAVE_EVERY_MS = 250;

export interface StateFile {
  /** Writes the current state now (if it changed) and stops the periodic saves. */
  close(): Promise<void>;
}

/**
 * Keeps a sandbox's state (see saved-state.ts) in `file`: restores it at start, then writes it
 * whenever it has changed, each time to a temporary file renamed over the old one, so the file
 * is always a whole state. A file that cannot be read is moved aside (and said so), not lost.
 */
export async function keepStateIn(
  sandbox: Sandbox,
  file: string,
  warn: (line: string) => void,
): Promise<StateFile> {
  await mkdir(path.dirname(file), { recursive: true });
  if (existsSync(file)) {
    try {
      restore(sandbox, parseSavedState(await readFile(file, 'utf8')));
    } catch (error) {
      const aside = `${file}.unreadable-${Date.now()}`;
      await rename(file, aside);
      warn(`could not restore ${file} (${String(error)}); moved it to ${aside}, starting afresh`);
    }
  }
  let saved = '';
  let writing: Promise<void> = Promise.resolve();
  const save = () => {
    const text = JSON.stringify(snapshot(sandbox));
    if (text === saved) return writing;
    saved = text;
    const temporary = `${file}.${process.pid}.tmp`;
    writing = writing
      .then(() => writeFile(temporary, `${text}\n`))
      .then(() => rename(temporary, file))
      .catch((error: unknown) => warn(`could not save ${file}: ${String(error)}`));
    return writing;
  };
  await save();
  const timer = setInterval(() => void save(), SAVE_EVERY_MS);
  timer.unref();
  return {
    close: async () => {
      clearInterval(timer);
      await save();
    },
  };
}
