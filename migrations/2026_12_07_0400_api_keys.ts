import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// API keys as rows: only the SHA-256 of a key is stored (a key is 256 random bits, so a fast
// hash is enough and lets every request find its key by an index), with the first characters
// kept to tell keys apart in a list. A revoked key stays, for the record, and never works again.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE api_keys (
      id text PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      scope text NOT NULL CHECK (scope IN ('read', 'send', 'admin')),
      key_hash bytea NOT NULL UNIQUE,
      prefix text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE api_keys`.execute(db);
}
