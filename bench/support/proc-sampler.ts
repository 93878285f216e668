import { readdirSync, readFileSync } from 'node:fs';

/** Which group a process belongs to, or undefined to leave it out. */
export type Classify = (pid: number, parent: number, command: string) => string | undefined;

export interface GroupUsage {
  /** CPU seconds (user + system) spent by the group's processes during the window. */
  cpu_seconds: number;
  /** Average cores busy over the window (cpu_seconds / wall seconds). */
  cores: number;
  /** Largest resident set of one process of the group seen during the window (MiB). */
  peak_rss_mib: number;
}

/**
 * CPU milliseconds per message of each group, and of the groups in `own` together (`own`):
 * what a message costs the processes that do the work, carrier and load generator aside.
 */
export function cpuPerMessage(
  usage: Readonly<Record<string, GroupUsage>>,
  messages: number,
  own: readonly string[],
): Record<string, number> {
  const perMessage = (seconds: number) => Math.round((seconds * 1e5) / messages) / 100;
  const result: Record<string, number> = {};
  for (const [group, { cpu_seconds }] of Object.entries(usage))
    result[group] = perMessage(cpu_seconds);
  result.own = perMessage(own.reduce((sum, group) => sum + (usage[group]?.cpu_seconds ?? 0), 0));
  return result;
}

interface ProcSample {
  group: string;
  ticks: number;
  rssPages: number;
}

const TICKS_PER_SECOND = 100;
const PAGE_MIB = 4096 / (1024 * 1024);

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process exited meanwhile
  }
}

/** /proc/<pid>/stat: the fields after the parenthesised command name. */
function stat(pid: number): { parent: number; ticks: number; rssPages: number } | undefined {
  const text = read(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, rss 24.
  return {
    parent: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
    rssPages: Number(fields[21]),
  };
}

/** Busy ticks of the whole machine (all cores) from /proc/stat: everything but idle and iowait. */
function machineTicks(): number {
  const fields = (read('/proc/stat') ?? '').split('\n')[0]?.trim().split(/\s+/).slice(1, 9) ?? [];
  const values = fields.map(Number);
  return values.reduce((sum, value) => sum + value, 0) - (values[3] ?? 0) - (values[4] ?? 0);
}

function snapshot(classify: Classify): Map<number, ProcSample> {
  const samples = new Map<number, ProcSample>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const info = stat(pid);
    if (info === undefined) continue;
    const command = (read(`/proc/${pid}/cmdline`) ?? '').replaceAll('\0', ' ');
    const group = classify(pid, info.parent, command);
    if (group !== undefined) samples.set(pid, { group, ...info });
  }
  return samples;
}

/**
 * Samples the CPU time and resident memory of groups of processes from /proc (Linux), so a
 * benchmark can say where the machine's cores went. Processes that start or end within the
 * window count from their first to their last sample.
 */
export class ProcSampler {
  readonly #classify: Classify;
  #first = new Map<number, ProcSample>();
  #last = new Map<number, ProcSample>();
  #peakRss = new Map<string, number>();
  #startedAt = 0;
  #machineAtStart = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(classify: Classify) {
    this.#classify = classify;
  }

  start(intervalMs = 500): void {
    this.#first = snapshot(this.#classify);
    this.#last = new Map(this.#first);
    this.#peakRss.clear();
    this.#note(this.#first);
    this.#startedAt = performance.now();
    this.#machineAtStart = machineTicks();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
  }

  stop(): Record<string, GroupUsage> {
    clearInterval(this.#timer);
    this.#sample();
    const seconds = (performance.now() - this.#startedAt) / 1000;
    const ticks = new Map<string, number>();
    for (const [pid, last] of this.#last) {
      const used = last.ticks - (this.#first.get(pid)?.ticks ?? 0);
      ticks.set(last.group, (ticks.get(last.group) ?? 0) + used);
    }
    const usage: Record<string, GroupUsage> = {};
    const add = (group: string, used: number) => {
      const cpu = used / TICKS_PER_SECOND;
      usage[group] = {
        cpu_seconds: Math.round(cpu * 100) / 100,
        cores: Math.round((cpu / seconds) * 100) / 100,
        peak_rss_mib: Math.round((this.#peakRss.get(group) ?? 0) * PAGE_MIB),
      };
    };
    for (const group of [...new Set([...ticks.keys(), ...this.#peakRss.keys()])].sort()) {
      add(group, ticks.get(group) ?? 0);
    }
    // Everything else on the machine (other users' builds and tests share the cores).
    const machine = machineTicks() - this.#machineAtStart;
    const ours = [...ticks.values()].reduce((sum, used) => sum + used, 0);
    add('other_processes', Math.max(0, machine - ours));
    add('machine_total', machine);
    return usage;
  }

  #sample(): void {
    const now = snapshot(this.#classify);
    for (const [pid, sample] of now) {
      if (!this.#first.has(pid)) this.#first.set(pid, { ...sample, ticks: 0 });
      this.#last.set(pid, sample);
    }
    this.#note(now);
  }

  #note(samples: ReadonlyMap<number, ProcSample>): void {
    for (const { group, rssPages } of samples.values()) {
      this.#peakRss.set(group, Math.max(this.#peakRss.get(group) ?? 0, rssPages));
    }
  }
}
