import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';

/** A process as /proc shows it; the start time tells a reused pid from the original. */
export interface ProcessRecord {
  readonly pid: number;
  readonly parent: number;
  readonly startTime: string;
  readonly state: string;
  readonly command: string;
}

function readProcess(pid: number): ProcessRecord | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return {
      pid,
      state: fields[0] ?? '?',
      parent: Number(fields[1]),
      startTime: fields[19] ?? '',
      command,
    };
  } catch {
    return undefined;
  }
}

/** `root` and every process descended from it, now. */
export function processTree(root: number): ProcessRecord[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((record) => record !== undefined);
  const tree = all.filter((record) => record.pid === root);
  for (let i = 0; i < tree.length; i += 1) {
    const parent = tree[i]?.pid;
    tree.push(...all.filter((record) => record.parent === parent));
  }
  return tree;
}

/** The recorded processes still alive: same pid, same start, not a zombie waiting to be reaped. */
export function stillRunning(records: readonly ProcessRecord[]): ProcessRecord[] {
  return records.filter((record) => {
    const now = readProcess(record.pid);
    return now !== undefined && now.startTime === record.startTime && now.state !== 'Z';
  });
}

/** True when something accepts connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** SIGKILLs whatever of `records` still runs (a test's cleanup after a failure). */
export function killAll(records: readonly ProcessRecord[]): void {
  for (const record of stillRunning(records)) {
    try {
      process.kill(record.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
