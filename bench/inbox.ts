import { rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../config/env.ts';
import { createDb, type Db } from '../db/connect.ts';
import { DEFAULT_BLOOIO_NUMBERS } from '../sandbox/settings.ts';
import { root, startStack } from '../scripts/services/stack.ts';
import { benchEnvironment } from './support/bench-environment.ts';

/**
 * `npm run bench -- inbox [agents] [seconds] [think_ms] [cold]`: agents answering conversations
 * through the real stack (API → the conversation workflow's Update → Blooio sandbox), each
 * agent sending an answer, waiting for it to be accepted, thinking about `think_ms` (0.5–1.5×,
 * agents out of step), and so on.
 * Prints answers accepted per second and their latency as the agent sees it (p50/p99), and
 * checks the sandbox received each accepted answer once. Target: p99 under 250 ms at 50
 * agents on this machine.
 */

const DATA_DIR = path.join('.data', 'bench-inbox');
const log = (line: string) => console.error(`[bench] ${line}`);
const CONTACTS = 500;

/** Contacts who answered a campaign and were handed off: each has a conversation and a line. */
async function seed(db: Db): Promise<string[]> {
  const pool = await db
    .insertInto('pools')
    .values({ name: 'bench follow-up', provider: 'blooio' })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const phone of DEFAULT_BLOOIO_NUMBERS) {
    await db
      .insertInto('sender_numbers')
      .values({ pool_id: pool.id, phone, kind: 'imessage', mps: 10 })
      .execute();
  }
  await sql`
    INSERT INTO contacts (phone, country, area_code, attributes)
    SELECT '+1628' || lpad((3000000 + i)::text, 7, '0'), 'US', '628', '{}'
      FROM generate_series(0, ${CONTACTS - 1}) i`.execute(db);
  await sql`
    INSERT INTO conversations (contact_id, pool_id, number_id, status, handed_off_at)
    SELECT c.id, ${pool.id}, (SELECT id FROM sender_numbers WHERE pool_id = ${pool.id}
                               ORDER BY id OFFSET (c.id % ${DEFAULT_BLOOIO_NUMBERS.length}) LIMIT 1),
           'handed_off', now()
      FROM contacts c`.execute(db);
  const rows = await db.selectFrom('contacts').select('phone').orderBy('id').execute();
  return rows.map((row) => row.phone);
}

const quantile = (sorted: readonly number[], q: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;

export async function run(args: string[]): Promise<void> {
  const agents = Number(args[0] ?? 50);
  const seconds = Number(args[1] ?? 40);
  const thinkMs = Number(args[2] ?? 5_000);
  const cold = args[3] === 'cold';
  await rm(path.join(root, DATA_DIR), { recursive: true, force: true });
  await benchEnvironment(DATA_DIR);
  console.log = (...parts: unknown[]) => console.error(...parts);
  const config = loadConfig();
  const stack = await startStack(config, log);
  const db = createDb({ connectionString: stack.databaseUrl, max: 2 });
  try {
    const phones = await seed(db);
    const headers = {
      authorization: `Bearer ${config.API_KEY}`,
      'content-type': 'application/json',
    };
    const answer = async (phone: string, key: string) => {
      const started = performance.now();
      const response = await fetch(
        `${stack.apiUrl}/v1/conversations/${encodeURIComponent(phone)}/messages`,
        {
          method: 'POST',
          headers: { ...headers, 'idempotency-key': key },
          body: JSON.stringify({ text: `Thanks! Answer ${key}`, author: 'bench' }),
        },
      );
      const body = (await response.json()) as { message?: { status?: string } };
      return {
        ms: performance.now() - started,
        status: response.status,
        sent: body.message?.status,
      };
    };
    // After a hand-off the contact's conversation workflow runs (it ends after
    // CONVERSATION_IDLE_SECONDS without news, a week by default), so agents answer running
    // conversations: each gets a first answer here. `cold` leaves them ended instead, so every
    // first answer also starts the workflow.
    const opened = cold ? phones.slice(0, 5) : phones;
    let opening = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = opening++; i < opened.length; i = opening++) {
          await answer(opened[i] ?? '', `open-${i}`);
        }
      }),
    );

    const latencies: number[] = [];
    const failures: Record<string, number> = {};
    let next = 0;
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: agents }, async (_, agent) => {
        // Agents are not in step: each starts somewhere in its first think time, and thinks
        // between half and one and a half times `think_ms`.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * thinkMs));
        while (performance.now() < until) {
          const i = next++;
          const phone = phones[(agent * 7 + i) % phones.length] ?? '';
          const result = await answer(phone, `bench-${i}`);
          if (result.status === 201) latencies.push(result.ms);
          else failures[`${result.status}`] = (failures[`${result.status}`] ?? 0) + 1;
          await new Promise((resolve) => setTimeout(resolve, thinkMs * (0.5 + Math.random())));
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    // Every accepted answer reached Blooio once (the sandbox's ledger), none twice.
    const ledger = (await (
      await fetch(`${stack.sandboxUrl}/_sandbox/ledger?channel=imessage`)
    ).json()) as { entries: { body: string }[] };
    const bodies = ledger.entries.map((entry) => entry.body).filter((b) => b.includes('bench-'));
    const p99 = quantile(latencies, 0.99);
    console.info(
      JSON.stringify(
        {
          bench: 'inbox',
          agents,
          seconds,
          think_ms: thinkMs,
          conversations: cold ? 'ended (each first answer starts the workflow)' : 'running',
          answers_accepted: latencies.length,
          answers_per_second: Math.round((latencies.length / elapsed) * 10) / 10,
          latency_ms: {
            p50: quantile(latencies, 0.5),
            p90: quantile(latencies, 0.9),
            p99,
            max: Math.round((latencies.at(-1) ?? 0) * 10) / 10,
          },
          refused: failures,
          sent_to_blooio: bodies.length,
          sent_twice: bodies.length - new Set(bodies).size,
          target_p99_ms: 250,
          met: p99 < 250,
        },
        null,
        2,
      ),
    );
  } finally {
    await db.destroy();
    await stack.stop();
  }
}
