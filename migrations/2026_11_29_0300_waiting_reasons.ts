import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Nothing waits without saying why. A number the carrier refuses as a sender (21606: not owned,
// not SMS-capable) becomes `misconfigured`, with the error code in its state history; a message
// with no carrier message yet keeps why it waits (`wait_reason`) beside `next_attempt_at`.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sender_numbers DROP CONSTRAINT sender_numbers_state_check;
    ALTER TABLE sender_numbers ADD CONSTRAINT sender_numbers_state_check
      CHECK (state IN ('active', 'cooling', 'probation', 'retired', 'misconfigured'));
    ALTER TABLE sender_state_changes ADD COLUMN error_code integer;
    ALTER TABLE messages ADD COLUMN wait_reason text;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE messages DROP COLUMN IF EXISTS wait_reason;
    ALTER TABLE sender_state_changes DROP COLUMN IF EXISTS error_code;
    UPDATE sender_numbers SET state = 'retired' WHERE state = 'misconfigured';
    ALTER TABLE sender_numbers DROP CONSTRAINT sender_numbers_state_check;
    ALTER TABLE sender_numbers ADD CONSTRAINT sender_numbers_state_check
      CHECK (state IN ('active', 'cooling', 'probation', 'retired'));
  `.execute(db);
}
