/**
 * PostgreSQL CPU per statement of a bench run, per message: `PG_STATEMENT_CPU=1 npm run bench --
 * broadcast 0 20000 2> run.log`, then `npx tsx bench/tools/statement-cpu.ts run.log 20000`.
 * Reads the server's `log_statement_stats` lines (getrusage user + system of each parse, bind
 * and execute, with the statement's text) between the orchestrator-bound run's start and the
 * plain loop's; prints JSON, costliest first.
 */
import { readFileSync } from 'node:fs';

const [file, messagesArg, topArg] = process.argv.slice(2);
if (file === undefined || messagesArg === undefined) {
  console.error('usage: statement-cpu.ts <bench stderr log> <messages> [top]');
  process.exit(2);
}
const messages = Number(messagesArg);
const lines = readFileSync(file, 'utf8').split('\n');
const from = lines.findIndex((line) => line.includes('[bench] run 3:'));
const to = lines.findIndex((line) => line.includes('[bench] baseline:'));
const window = lines.slice(Math.max(0, from), to < 0 ? lines.length : to);

const startsEntry = /^(\[postgres\] )?\d{4}-\d\d-\d\d /;
const phaseOf = /LOG: {2}(\w+)(?: MESSAGE)? STATISTICS/;
const usage = /!\s+([\d.]+) s user, ([\d.]+) s system, [\d.]+ s elapsed/;
const byStatement = new Map<string, { ms: number; executions: number }>();
const byPhase = new Map<string, number>();
let phase: string | undefined;
let seconds = 0;
for (let i = 0; i < window.length; i++) {
  const line = window[i] ?? '';
  const started = phaseOf.exec(line);
  if (started !== null) {
    phase = started[1];
    seconds = 0;
  }
  const used = usage.exec(line);
  if (used !== null && phase !== undefined) seconds = Number(used[1]) + Number(used[2]);
  const at = line.indexOf('STATEMENT:  ');
  if (at < 0 || phase === undefined) continue;
  let text = line.slice(at + 'STATEMENT:  '.length);
  while (
    i + 1 < window.length &&
    !startsEntry.test(window[i + 1] ?? '') &&
    !window[i + 1]?.startsWith('[')
  ) {
    text += ` ${window[++i]}`;
  }
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 160);
  const entry = byStatement.get(key) ?? { ms: 0, executions: 0 };
  entry.ms += seconds * 1000;
  if (phase === 'EXECUTE' || phase === 'QUERY') entry.executions += 1;
  byStatement.set(key, entry);
  byPhase.set(phase, (byPhase.get(phase) ?? 0) + seconds * 1000);
  phase = undefined;
}
const perMessage = (ms: number) => Math.round((ms / messages) * 10_000) / 10_000;
const total = [...byStatement.values()].reduce((sum, entry) => sum + entry.ms, 0);
const statements = [...byStatement.entries()]
  .sort((a, b) => b[1].ms - a[1].ms)
  .slice(0, Number(topArg ?? 25))
  .map(([statement, entry]) => ({
    cpu_ms_per_message: perMessage(entry.ms),
    executions: entry.executions,
    statement,
  }));
console.log(
  JSON.stringify(
    {
      messages,
      cpu_ms_per_message: perMessage(total),
      by_phase: Object.fromEntries([...byPhase].map(([name, ms]) => [name, perMessage(ms)])),
      statements,
    },
    null,
    2,
  ),
);
