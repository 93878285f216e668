import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MpsMeter } from '../../sandbox/mps-meter.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import type { WorkerSend } from '../support/reserve-worker.ts';
import { seedContacts, seedPool, type SeededContact } from '../support/sender-pool-fixtures.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

interface WorkerReport {
  pid: number;
  refused: number;
  sends: WorkerSend[];
}

function runWorker(
  url: string,
  poolId: string,
  contacts: readonly SeededContact[],
): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/reserve-worker.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: url,
        POOL_ID: poolId,
        CONTACTS: JSON.stringify(contacts),
        BATCH: '4',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}'));
    });
  });
}

describe('sender reservations across processes', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('two worker processes sharing a pool never exceed any number’s MPS', async () => {
    const { db, url } = database;
    // Slots start at a half second, well after both workers have reserved, so every
    // reservation lands in one contiguous GCRA schedule per number.
    const start = new Date((Math.ceil(Date.now() / 1000) + 4) * 1000 + 500);
    const mps = new Map([
      ['+14155551001', 4],
      ['+14155551002', 4],
      ['+14155551003', 8],
    ]);
    const { poolId, phones } = await seedPool(
      db,
      { sticky_sender: true },
      [...mps].map(([phone, rate]) => ({ phone, mps: rate, weight: rate, nextSlotAt: start })),
    );
    const contacts = await seedContacts(db, 80, '212', 'NY', 5000);
    const [a, b] = await Promise.all([
      runWorker(
        url,
        poolId,
        contacts.filter((_, i) => i % 2 === 0),
      ),
      runWorker(
        url,
        poolId,
        contacts.filter((_, i) => i % 2 === 1),
      ),
    ]);
    if (a === undefined || b === undefined) throw new Error('workers did not report');
    expect(a.refused + b.refused).toBe(0);
    const sends = [...a.sends, ...b.sends];
    expect(sends).toHaveLength(80);

    // Reserved slots of each number are at least 1/MPS apart, whichever process holds them.
    for (const [phone, rate] of mps) {
      const mine = sends.filter((s) => s.fromPhone === phone).map((s) => s.sendAt);
      mine.sort((x, y) => x - y);
      expect(new Set(mine).size).toBe(mine.length);
      for (let i = 1; i < mine.length; i++) {
        expect((mine[i] ?? 0) - (mine[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000 / rate);
      }
      // Weighted 1:1:2 and both processes got slots on every number.
      expect(mine.length).toBe((80 * rate) / 16);
      expect(a.sends.some((s) => s.fromPhone === phone)).toBe(true);
      expect(b.sends.some((s) => s.fromPhone === phone)).toBe(true);
    }

    // The sandbox's per-second accounting over the reserved slots, and no send before its
    // slot. (Not over the instants the stand-in workers woke up: on a busy machine their timers
    // fire late and bunched, which says nothing about the reservations; pacing actual
    // dispatches is the pacer's job, tested with it.)
    const meter = new MpsMeter();
    for (const send of [...sends].sort((x, y) => x.sendAt - y.sendAt)) {
      expect(send.sentAt).toBeGreaterThanOrEqual(send.sendAt);
      meter.record(send.fromPhone, send.segments, mps.get(send.fromPhone) ?? 0, send.sendAt);
    }
    const report = meter.report();
    expect(report.total).toBe(0);
    for (const [phone, rate] of mps) expect(report.byNumber[phone]?.peak).toBeLessThanOrEqual(rate);
    expect(phones.size).toBe(3);
  });
});
