import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Every consent change is one row of one table: the opt-out log becomes `consent_events`,
// and each row says where the change came from (`source`), the exact text or request that
// made it (`detail`), why (`reason`, for an operator), and which campaign or message
// triggered it. Old rows keep their meaning: a keyword over SMS or iMessage, an API call.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE opt_outs RENAME TO consent_events;
    ALTER INDEX opt_outs_contact RENAME TO consent_events_contact;
    ALTER TABLE consent_events DROP CONSTRAINT IF EXISTS opt_outs_channel_check;
    ALTER TABLE consent_events DROP CONSTRAINT IF EXISTS opt_outs_action_check;
    UPDATE consent_events SET channel = 'all' WHERE channel = 'api';
    ALTER TABLE consent_events
      ADD CONSTRAINT consent_events_action_check CHECK (action IN ('opt_out', 'opt_in')),
      ADD CONSTRAINT consent_events_channel_check CHECK (channel IN ('sms', 'imessage', 'all')),
      ADD COLUMN source text,
      ADD COLUMN detail text,
      ADD COLUMN reason text,
      ADD COLUMN campaign_id uuid,
      ADD COLUMN message_id bigint;
    UPDATE consent_events SET source = CASE channel
      WHEN 'sms' THEN 'sms_keyword' WHEN 'imessage' THEN 'imessage_keyword' ELSE 'operator' END,
      detail = keyword;
    ALTER TABLE consent_events
      ALTER COLUMN source SET NOT NULL,
      ADD CONSTRAINT consent_events_source_check CHECK (source IN (
        'sms_keyword', 'imessage_keyword', 'carrier_21610', 'operator', 'suppression_import'));
    CREATE INDEX consent_events_created ON consent_events (created_at, id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS consent_events_created;
    DELETE FROM consent_events WHERE source IN ('carrier_21610', 'suppression_import');
    ALTER TABLE consent_events
      DROP CONSTRAINT consent_events_source_check,
      DROP CONSTRAINT consent_events_channel_check,
      DROP CONSTRAINT consent_events_action_check,
      DROP COLUMN source, DROP COLUMN detail, DROP COLUMN reason,
      DROP COLUMN campaign_id, DROP COLUMN message_id;
    UPDATE consent_events SET channel = 'api' WHERE channel = 'all';
    ALTER TABLE consent_events
      ADD CONSTRAINT opt_outs_action_check CHECK (action IN ('opt_out', 'opt_in')),
      ADD CONSTRAINT opt_outs_channel_check CHECK (channel IN ('sms', 'imessage', 'api'));
    ALTER INDEX consent_events_contact RENAME TO opt_outs_contact;
    ALTER TABLE consent_events RENAME TO opt_outs;
  `.execute(db);
}
