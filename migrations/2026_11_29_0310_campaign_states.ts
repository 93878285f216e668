import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// `waiting_for_drip`: a campaign whose broadcast is over while a drip step can still fire.
// `cancelled` messages: rows the campaign's cancellation stopped before they left tandem.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE campaigns DROP CONSTRAINT campaigns_status_check;
    ALTER TABLE campaigns ADD CONSTRAINT campaigns_status_check
      CHECK (status IN ('draft', 'running', 'paused', 'waiting_for_drip', 'completed', 'cancelled', 'failed'));
    ALTER TABLE messages DROP CONSTRAINT messages_status_check;
    ALTER TABLE messages ADD CONSTRAINT messages_status_check
      CHECK (status IN ('pending', 'sending', 'unknown', 'queued', 'sent', 'delivered', 'undelivered', 'failed', 'skipped', 'cancelled'));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE campaigns SET status = 'running' WHERE status = 'waiting_for_drip';
    UPDATE messages SET status = 'skipped', skip_reason = 'cancelled' WHERE status = 'cancelled';
    ALTER TABLE campaigns DROP CONSTRAINT campaigns_status_check;
    ALTER TABLE campaigns ADD CONSTRAINT campaigns_status_check
      CHECK (status IN ('draft', 'running', 'paused', 'completed', 'cancelled', 'failed'));
    ALTER TABLE messages DROP CONSTRAINT messages_status_check;
    ALTER TABLE messages ADD CONSTRAINT messages_status_check
      CHECK (status IN ('pending', 'sending', 'unknown', 'queued', 'sent', 'delivered', 'undelivered', 'failed', 'skipped'));
  `.execute(db);
}
