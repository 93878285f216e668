import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..', '..');

/** Runs a TypeScript entry point of the project as its own process, its output prefixed. */
export function startTsProcess(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  options: { quiet?: boolean } = {},
): ManagedProcess {
  // CPU profiles of the stack's processes, written when they exit (`CPU_PROFILE_DIR=... npm run bench`).
  const profile = process.env.CPU_PROFILE_DIR;
  const flags = profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (stream: NodeJS.ReadableStream, write: (line: string) => void) => {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') write(`[${name}] ${line}`);
    });
  };
  if (options.quiet !== true) prefix(child.stdout, (line) => console.log(line));
  // Quiet or not, the pipe is drained: a child whose unread stdout fills the pipe's buffer
  // (64 KiB) blocks on its next write (pino writes synchronously), and stops working.
  else child.stdout.resume();
  prefix(child.stderr, (line) => console.error(line));
  return {
    name,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function waitForHttp(
  url: string,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child !== undefined && child.exitCode !== null)
      throw new Error(`${url}: the process exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
