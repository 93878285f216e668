import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// `Idempotency-Key` on every POST under /v1: the first request with a key claims it, its answer
// is stored, and a repeat within 24 hours gets that answer again instead of doing the work twice.
// A claim whose request never finished (the process died) is taken over after its lease.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE idempotency_keys (
      principal text NOT NULL,
      key text NOT NULL,
      fingerprint text NOT NULL,
      claimed_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      status_code int,
      content_type text,
      body text,
      PRIMARY KEY (principal, key)
    );
    CREATE INDEX idempotency_keys_claimed_at ON idempotency_keys (claimed_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE idempotency_keys`.execute(db);
}
