import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStatusEventBatcher } from '../../api/status-event-batcher.ts';
import type { StatusEventInput } from '../../db/status-events.ts';
import { waitFor } from '../support/campaigns.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';

const callback = (sid: string): StatusEventInput => ({
  provider: 'twilio',
  sid,
  status: 'delivered',
  errorCode: null,
  payload: { MessageSid: sid, MessageStatus: 'delivered' },
});
/** The same event as another API process stores it (recordStatusEvents' dedupe key). */
const insertElsewhere = (client: pg.Client, sid: string) =>
  client.query(
    `INSERT INTO message_events (provider, provider_sid, status, dedupe_key, payload)
     VALUES ('twilio', $1, 'delivered', $2, '{}')`,
    [sid, `twilio:${sid}:delivered:`],
  );

describe('a batch of status callbacks that PostgreSQL makes a deadlock victim', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const deadlocks = async () => {
    const row = await sql<{ n: number }>`
      SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`.execute(
      database.db,
    );
    return row.rows[0]?.n ?? 0;
  };

  it('runs again, and every callback of the batch is stored and answered', async () => {
    const { db } = database;
    const before = await deadlocks();
    // Another process's batch holding the same two callbacks (Twilio sent them twice), in the
    // other order: it has stored SM2 and is about to store SM1.
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    const otherPid = (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]
      ?.pid;
    const stored: string[] = [];
    try {
      await other.query('BEGIN');
      await insertElsewhere(other, 'SM2');
      const batcher = createStatusEventBatcher(db, (ids) => stored.push(...ids));
      const answers = Promise.all([batcher.store(callback('SM1')), batcher.store(callback('SM2'))]);
      // Stored SM1, waiting for the other's SM2. Asked soon after (well within the server's
      // deadlock_timeout), the other's SM1 closes the cycle and the batch, which waited
      // first, is the one PostgreSQL aborts.
      await waitFor(
        'the batch to wait on the other process',
        async () => {
          const blocked = await sql<{ n: number }>`
            SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE ${otherPid ?? 0}::int = ANY(pg_blocking_pids(pid))`.execute(db);
          return (blocked.rows[0]?.n ?? 0) > 0 ? true : undefined;
        },
        10_000,
        10,
      );
      await insertElsewhere(other, 'SM1');
      // The batch runs again, and waits until the other process ends its transaction.
      await other.query('ROLLBACK');
      await answers;
    } finally {
      await other.end();
    }
    const rows = await db
      .selectFrom('message_events')
      .select(['id', 'provider_sid'])
      .orderBy('id')
      .execute();
    expect(rows.map((row) => row.provider_sid)).toEqual(['SM1', 'SM2']);
    expect(stored).toEqual(rows.map((row) => row.id));
    await waitFor('PostgreSQL to count the deadlock', async () =>
      (await deadlocks()) > before ? true : undefined,
    );
  });
});
