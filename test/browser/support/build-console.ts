import { buildConsole } from '../../../scripts/web/build.ts';

/** The API under test serves web/dist: build it once per run when its sources changed. */
export async function setup(): Promise<void> {
  await buildConsole({ say: (line) => console.log(`[console] ${line}`) });
}
