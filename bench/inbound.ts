import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { SANDBOX_AUTH_TOKEN, SANDBOX_BLOOIO_WEBHOOK_SECRET } from '../config/env.ts';
import { signBlooioWebhook } from '../core/blooio-signature.ts';
import { createDb, type Db } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { twilioSignature } from '../sandbox/twilio/signature.ts';
import { ensureDatabase, startPostgres } from '../scripts/services/postgres.ts';
import { freePort } from '../scripts/services/temporal.ts';

/**
 * `npm run bench -- inbound [requests] [connections]`: signed carrier webhooks accepted per
 * second by the real API (its own process, loopback, real PostgreSQL): Twilio inbound SMS,
 * Twilio status callbacks and Blooio `message.status`, a third each. Every accepted webhook
 * must be in the database afterwards. Fastify's bare hello world is measured in the same run,
 * same load generator, as the ceiling.
 */

const root = path.resolve(import.meta.dirname, '..');
const SMS_NUMBER = '+14155550001';
const REPLIES = ['Who is this?', 'Maybe later', 'ok thanks', 'HELP', 'What is this about?'];

async function startServer(script: string, port: number, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, script)], {
    cwd: root,
    env: { ...process.env, ...env, API_PORT: String(port), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
  });
  return child;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Contacts, a campaign and sent messages whose sids the status callbacks name. */
async function seed(db: Db, contacts: number, messages: number): Promise<void> {
  const [audience, pool, campaign] = ['a1', 'b1', 'c1'].map(
    (id) => `00000000-0000-0000-0000-0000000000${id}`,
  );
  const statements = [
    sql`INSERT INTO contacts (phone, country, area_code)
        SELECT '+1628' || lpad((2000000 + i)::text, 7, '0'), 'US', '628'
          FROM generate_series(0, ${contacts - 1}) i`,
    sql`INSERT INTO audiences (id, name) VALUES (${audience}, 'bench')`,
    sql`INSERT INTO pools (id, name, provider) VALUES (${pool}, 'bench', 'twilio')`,
    sql`INSERT INTO sender_numbers (pool_id, phone, kind, mps)
        VALUES (${pool}, ${SMS_NUMBER}, 'long_code', 100)`,
    sql`INSERT INTO campaigns (id, name, audience_id, sms_pool_id, help_text)
        VALUES (${campaign}, 'bench', ${audience}, ${pool}, 'Bench help')`,
    sql`INSERT INTO messages (campaign_id, step, contact_id, to_phone, from_phone, status, provider_sid, attempts)
        SELECT ${campaign}, 0, c.id, c.phone, ${SMS_NUMBER}, 'sent', 'SMbench' || c.id, 1
          FROM contacts c ORDER BY c.id LIMIT ${messages}`,
    sql`INSERT INTO message_attempts (message_id, attempt, provider_sid, status)
        SELECT id, 1, provider_sid, 'sent' FROM messages`,
  ];
  for (const statement of statements) await statement.execute(db);
}

interface Kind {
  readonly path: string;
  accepted: number;
  rejected: number;
  build(seq: number): { headers: Record<string, string>; body: string };
}

function kinds(port: number, contacts: number): Record<'inbound' | 'status' | 'blooio', Kind> {
  const base = `http://127.0.0.1:${port}`;
  const form = (path: string, params: Record<string, string>) => ({
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(SANDBOX_AUTH_TOKEN, `${base}${path}`, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  const phone = (seq: number) => `+1628${String(2000000 + (seq % contacts)).padStart(7, '0')}`;
  return {
    inbound: {
      path: '/webhooks/twilio/inbound',
      accepted: 0,
      rejected: 0,
      build: (seq) =>
        form('/webhooks/twilio/inbound', {
          MessageSid: `SMin${seq}`,
          AccountSid: 'AC00000000000000000000000000000000',
          From: phone(seq),
          To: SMS_NUMBER,
          Body: REPLIES[seq % REPLIES.length] ?? 'ok',
          NumMedia: '0',
        }),
    },
    status: {
      path: '/webhooks/twilio/status',
      accepted: 0,
      rejected: 0,
      // contact ids start at 1: SMbench<n> for n in 1..messages.
      build: (seq) =>
        form('/webhooks/twilio/status', {
          MessageSid: `SMbench${seq + 1}`,
          MessageStatus: 'delivered',
          From: SMS_NUMBER,
          To: phone(seq),
        }),
    },
    blooio: {
      path: '/webhooks/blooio',
      accepted: 0,
      rejected: 0,
      build: (seq) => {
        const body = JSON.stringify({
          event: 'message.status',
          message_id: `msg_bench${seq}`,
          status: 'delivered',
          protocol: 'imessage',
          timestamp: Date.now(),
        });
        const signature = signBlooioWebhook(SANDBOX_BLOOIO_WEBHOOK_SECRET, body);
        return {
          headers: { 'content-type': 'application/json', 'x-blooio-signature': signature },
          body,
        };
      },
    },
  };
}

async function hammer(options: autocannon.Options): Promise<autocannon.Result> {
  // Without a callback autocannon returns a promise and renders nothing.
  return autocannon(options);
}

export async function run(args: string[]): Promise<void> {
  const total = Number(args[0] ?? 30_000);
  const connections = Number(args[1] ?? 64);
  const only = args[2]?.split(',');
  const names = (['inbound', 'status', 'blooio'] as const).filter((k) => only?.includes(k) ?? true);
  const perKind = Math.ceil(total / names.length);
  const postgres = await startPostgres({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: path.join(root, '.data', 'bench-inbound-pg'),
    port: await freePort(),
  });
  const url = await ensureDatabase(postgres.adminUrl, 'tandem_bench_inbound', { recreate: true });
  const db = createDb({ connectionString: url, max: 2 });
  await migrateToLatest(db);
  const contacts = Math.max(5_000, perKind);
  await seed(db, contacts, perKind);

  const helloPort = await freePort();
  const hello = await startServer('bench/support/hello-server.ts', helloPort, {});
  const ceiling = await hammer({
    url: `http://127.0.0.1:${helloPort}/`,
    connections,
    duration: 10,
  });
  await stop(hello);

  const port = await freePort();
  const api = await startServer('bench/support/api-server.ts', port, {
    DATABASE_URL: url,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
  });
  const byKind = kinds(port, contacts);
  const sequence = { inbound: 0, status: 0, blooio: 0 };
  const request = (name: keyof typeof byKind): autocannon.Request => ({
    method: 'POST',
    path: byKind[name].path,
    setupRequest: (req) => {
      const built = byKind[name].build(sequence[name]++);
      return { ...req, headers: built.headers, body: built.body };
    },
    onResponse: (status) => {
      if (status >= 200 && status < 300) byKind[name].accepted += 1;
      else byKind[name].rejected += 1;
    },
  });
  try {
    const result = await hammer({
      url: `http://127.0.0.1:${port}`,
      connections,
      amount: perKind * names.length,
      duration: 120,
      requests: names.map(request),
    });
    const stored = await sql<{
      inbound: number;
      status: number;
      blooio: number;
      delivered: number;
    }>`
      SELECT (SELECT count(*)::int FROM inbound_messages) AS inbound,
             (SELECT count(*)::int FROM message_events WHERE provider = 'twilio') AS status,
             (SELECT count(*)::int FROM message_events WHERE provider = 'blooio') AS blooio,
             (SELECT count(*)::int FROM messages WHERE status = 'delivered') AS delivered`.execute(
      db,
    );
    const counts = stored.rows[0] ?? { inbound: 0, status: 0, blooio: 0, delivered: 0 };
    const accepted = byKind.inbound.accepted + byKind.status.accepted + byKind.blooio.accepted;
    const seconds = result.duration;
    const lost =
      byKind.inbound.accepted -
      counts.inbound +
      (byKind.status.accepted - counts.status) +
      (byKind.blooio.accepted - counts.blooio);
    console.log(
      JSON.stringify(
        {
          bench: 'inbound',
          requests: result.requests.total,
          connections,
          seconds: Math.round(seconds * 100) / 100,
          webhooks_per_second: Math.round(accepted / seconds),
          accepted: {
            twilio_inbound: byKind.inbound.accepted,
            twilio_status: byKind.status.accepted,
            blooio_status: byKind.blooio.accepted,
          },
          refused: byKind.inbound.rejected + byKind.status.rejected + byKind.blooio.rejected,
          errors: result.errors + result.timeouts,
          stored: counts,
          lost,
          latency_ms: { p50: result.latency.p50, p99: result.latency.p99 },
          ceiling_fastify_hello_per_second: Math.round(ceiling.requests.average),
          share_of_ceiling: Math.round((accepted / seconds / ceiling.requests.average) * 100) / 100,
          target_per_second: 3_000,
          cores: availableParallelism(),
        },
        null,
        2,
      ),
    );
  } finally {
    await stop(api);
    await db.destroy();
    await postgres.stop().catch(() => {});
  }
}
