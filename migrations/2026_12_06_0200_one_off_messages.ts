import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// One-off sends through a pool (POST /v1/messages) are message rows with no campaign: the same
// lifecycle, claims, retries and statuses as a campaign's. Such a row names its pool, the
// retry policy it was sent with, the `from_number` its caller required (if any), why its sender
// was chosen, and the send slot reserved for it when it was accepted (`slot_at`, used by its
// first claim). Any message may carry media (MMS), and so may a campaign step. A number may
// have an MMS rate of its own (`mms_mps`, else its `mps`).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE messages ALTER COLUMN campaign_id DROP NOT NULL;
    ALTER TABLE messages
      ADD COLUMN pool_id uuid REFERENCES pools(id),
      ADD COLUMN retry_policy jsonb,
      ADD COLUMN requested_from text,
      ADD COLUMN sender_reason text,
      ADD COLUMN slot_at timestamptz,
      ADD COLUMN media_urls jsonb,
      ADD CONSTRAINT messages_campaign_or_pool
        CHECK ((campaign_id IS NULL) = (pool_id IS NOT NULL AND retry_policy IS NOT NULL));
    CREATE INDEX messages_one_off_due ON messages (pool_id, next_attempt_at)
      WHERE campaign_id IS NULL AND provider_sid IS NULL AND status IN ('pending', 'sending', 'unknown');
    CREATE INDEX messages_one_off_awaiting ON messages (pool_id, updated_at)
      WHERE campaign_id IS NULL AND provider_sid IS NOT NULL AND status IN ('queued', 'sent');
    ALTER TABLE campaign_steps ADD COLUMN media_urls jsonb;
    ALTER TABLE sender_numbers ADD COLUMN mms_mps double precision CHECK (mms_mps > 0);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sender_numbers DROP COLUMN IF EXISTS mms_mps;
    ALTER TABLE campaign_steps DROP COLUMN IF EXISTS media_urls;
    DROP INDEX IF EXISTS messages_one_off_awaiting;
    DROP INDEX IF EXISTS messages_one_off_due;
    DELETE FROM messages WHERE campaign_id IS NULL;
    ALTER TABLE messages
      DROP CONSTRAINT IF EXISTS messages_campaign_or_pool,
      DROP COLUMN IF EXISTS media_urls,
      DROP COLUMN IF EXISTS slot_at,
      DROP COLUMN IF EXISTS sender_reason,
      DROP COLUMN IF EXISTS requested_from,
      DROP COLUMN IF EXISTS retry_policy,
      DROP COLUMN IF EXISTS pool_id;
    ALTER TABLE messages ALTER COLUMN campaign_id SET NOT NULL;
  `.execute(db);
}
