import { Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/database.ts';

describe('the test stack', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('gives each test file a migrated database of its own', async () => {
    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name
    `.execute(database.db);
    const names = tables.rows.map((row) => row.table_name);
    for (const table of [
      'contacts',
      'audiences',
      'pools',
      'sender_numbers',
      'campaigns',
      'messages',
      'message_events',
      'inbound_messages',
      'conversations',
      'consent_events',
    ]) {
      expect(names).toContain(table);
    }
  });

  it('runs a Temporal server with the campaign search attributes', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const attributes = await connection.operatorService.listSearchAttributes({
      namespace: 'default',
    });
    expect(Object.keys(attributes.customAttributes)).toEqual(
      expect.arrayContaining(['CampaignId', 'CampaignStatus']),
    );
    await connection.close();
  });
});
