import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detachedPartitionDdl, memberPartition } from '../../db/audience-members.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { waitFor } from '../support/campaigns.ts';
import { seedAudience } from '../support/seed.ts';
import { twilioInbound } from './replies-fixtures.ts';

const PHONE = '+16285550142';

describe('a STOP while an import holds the contact', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await seedAudience(api.database.db, [{ phone: PHONE }]);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is honoured once the import commits, even when PostgreSQL picks it as a deadlock victim', async () => {
    // What an import does, by hand: upsert the contact, then attach its member partition,
    // which takes a table lock on contacts while the STOP's transaction waits on the row.
    const importer = new pg.Client({ connectionString: api.database.url });
    await importer.connect();
    const importerPid = (await importer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
      .rows[0]?.pid;
    try {
      await importer.query('BEGIN');
      await importer.query(
        `UPDATE contacts SET attributes = attributes || '{"plan":"gold"}' WHERE phone = $1`,
        [PHONE],
      );
      const audience = await importer.query<{ id: string }>(
        `INSERT INTO audiences (name) VALUES ('importing') RETURNING id`,
      );
      const id = audience.rows[0]?.id ?? '';
      const partition = memberPartition(id);
      await importer.query(detachedPartitionDdl(id));
      const stop = twilioInbound(api, { from: PHONE, to: '+14155550011', body: 'STOP' });
      // The scenario needs the STOP's transaction queued behind the importer's row lock before
      // the importer asks for its table lock: wait until PostgreSQL shows it blocked.
      await waitFor('the STOP to wait on the imported contact', async () => {
        const blocked = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE ${importerPid ?? 0}::int = ANY(pg_blocking_pids(pid))`.execute(api.database.db);
        return (blocked.rows[0]?.n ?? 0) > 0 ? true : undefined;
      });
      await importer.query(
        `ALTER TABLE audience_members ATTACH PARTITION ${partition} FOR VALUES IN ('${id}')`,
      );
      await importer.query('COMMIT');
      const response = await stop;
      expect(response.statusCode, response.body).toBe(200);
    } finally {
      await importer.end();
    }
    const contact = await api.database.db
      .selectFrom('contacts')
      .select(['opted_out_at', 'attributes'])
      .where('phone', '=', PHONE)
      .executeTakeFirstOrThrow();
    expect(contact.opted_out_at).not.toBeNull();
    expect(contact.attributes).toMatchObject({ plan: 'gold' });
  });
});
