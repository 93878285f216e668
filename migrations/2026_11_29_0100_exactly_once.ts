import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Exactly once under faults. `unknown`: a request left tandem and its answer was lost (a
// timeout, a reset, a 5xx): the carrier may have created the message, so it is asked before
// any retry. `claim_token` names the send that claimed a row last; every write of a send's
// outcome names it, so a superseded send can never overwrite a newer one. A claimed row's
// `next_attempt_at` is its lease: until then its sender may still be talking to the carrier.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE messages DROP CONSTRAINT messages_status_check;
    ALTER TABLE messages ADD CONSTRAINT messages_status_check
      CHECK (status IN ('pending', 'sending', 'unknown', 'queued', 'sent', 'delivered', 'undelivered', 'failed', 'skipped'));
    ALTER TABLE messages ADD COLUMN claim_token uuid;
    CREATE INDEX messages_unresolved_due ON messages (campaign_id, step, next_attempt_at)
      WHERE provider_sid IS NULL AND status IN ('pending', 'sending', 'unknown');
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS messages_unresolved_due;
    UPDATE messages SET status = 'pending' WHERE status = 'unknown';
    ALTER TABLE messages DROP COLUMN IF EXISTS claim_token;
    ALTER TABLE messages DROP CONSTRAINT messages_status_check;
    ALTER TABLE messages ADD CONSTRAINT messages_status_check
      CHECK (status IN ('pending', 'sending', 'queued', 'sent', 'delivered', 'undelivered', 'failed', 'skipped'));
  `.execute(db);
}
