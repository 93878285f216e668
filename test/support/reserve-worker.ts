/**
 * A stand-in for one sending worker process: reserves senders for its contacts in small
 * batches (interleaving with other processes), then "sends" each message when its slot
 * comes — never before — and prints what it did as JSON on stdout.
 *
 * Input (env): DATABASE_URL, POOL_ID, CONTACTS (JSON [{id, phone, areaCode, region}]), BATCH.
 */
import { loadConfig } from '../../config/env.ts';
import { createDb } from '../../db/connect.ts';
import { healthSettings } from '../../db/health-settings.ts';
import { reserveSenders } from '../../db/sender-reservations.ts';

interface Contact {
  id: string;
  phone: string;
  areaCode: string | null;
  region: string | null;
}

export interface WorkerSend {
  numberId: string;
  fromPhone: string;
  segments: number;
  sendAt: number;
  sentAt: number;
}

async function sleepUntil(at: number): Promise<void> {
  while (Date.now() < at) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, at - Date.now())));
  }
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const poolId = process.env.POOL_ID;
  if (url === undefined || poolId === undefined)
    throw new Error('DATABASE_URL and POOL_ID are required');
  const contacts: Contact[] = JSON.parse(process.env.CONTACTS ?? '[]');
  const batch = Number(process.env.BATCH ?? '5');
  const db = createDb({ connectionString: url, max: 2 });
  const health = healthSettings(loadConfig());
  const grants = [];
  for (let i = 0; i < contacts.length; i += batch) {
    const requests = contacts.slice(i, i + batch).map((c) => ({
      contactId: c.id,
      toPhone: c.phone,
      areaCode: c.areaCode,
      region: c.region,
      segments: 1,
    }));
    grants.push(...(await reserveSenders(db, poolId, requests, new Date(), { health })));
  }
  await db.destroy();
  const sends: WorkerSend[] = [];
  const ok = grants.flatMap((g) => (g.ok ? [g] : []));
  await Promise.all(
    ok.map(async (g) => {
      await sleepUntil(g.sendAt.getTime());
      const sentAt = Date.now();
      sends.push({
        numberId: g.numberId,
        fromPhone: g.fromPhone,
        segments: 1,
        sendAt: g.sendAt.getTime(),
        sentAt,
      });
    }),
  );
  process.stdout.write(
    `${JSON.stringify({ pid: process.pid, refused: grants.length - ok.length, sends })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
