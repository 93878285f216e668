import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Every message tandem sends is in the thread. An SMS answer tandem gives in TwiML (HELP text,
// an opt-out confirmation) is the carrier's message too: its sid and statuses arrive on a status
// callback whose URL names the inbound message it answers, and are kept beside that answer.
// `handoff_skipped`: why an interested reply was not handed off (no follow-up pool), so the
// contact's thread and the campaign's funnel say it instead of nothing.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE inbound_messages ADD COLUMN reply_sid text;
    ALTER TABLE inbound_messages ADD COLUMN reply_status text;
    ALTER TABLE inbound_messages ADD COLUMN reply_error_code integer;
    ALTER TABLE inbound_messages ADD COLUMN reply_updated_at timestamptz;
    ALTER TABLE inbound_messages ADD COLUMN handoff_skipped text;
    CREATE INDEX messages_contact_sent ON messages (contact_id, sent_at DESC) WHERE sent_at IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS messages_contact_sent;
    ALTER TABLE inbound_messages DROP COLUMN IF EXISTS handoff_skipped;
    ALTER TABLE inbound_messages DROP COLUMN IF EXISTS reply_updated_at;
    ALTER TABLE inbound_messages DROP COLUMN IF EXISTS reply_error_code;
    ALTER TABLE inbound_messages DROP COLUMN IF EXISTS reply_status;
    ALTER TABLE inbound_messages DROP COLUMN IF EXISTS reply_sid;
  `.execute(db);
}
