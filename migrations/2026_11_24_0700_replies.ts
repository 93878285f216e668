import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Replies and hand-offs: what tandem answered to each inbound message, the hand-off of each
// interested contact per campaign (its step numbers the conversation's Idempotency-Keys), the
// follow-up messages sent in a conversation, and the index that attributes a reply to the
// campaign that last texted the contact.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE inbound_messages ADD COLUMN reply text;
    CREATE INDEX inbound_messages_campaign ON inbound_messages (campaign_id, classification);
    CREATE INDEX messages_contact ON messages (contact_id, id DESC);

    CREATE TABLE conversation_handoffs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      conversation_id bigint NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      campaign_id uuid REFERENCES campaigns(id) ON DELETE SET NULL,
      step integer NOT NULL CHECK (step >= 1),
      mode text NOT NULL CHECK (mode IN ('imessage', 'text_us')),
      number_id bigint REFERENCES sender_numbers(id),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      handed_off_at timestamptz,
      UNIQUE (conversation_id, campaign_id),
      UNIQUE (conversation_id, step)
    );
    CREATE INDEX conversation_handoffs_campaign ON conversation_handoffs (campaign_id, status);

    CREATE TABLE conversation_messages (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      conversation_id bigint NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      channel text NOT NULL CHECK (channel IN ('imessage', 'sms')),
      idempotency_key text NOT NULL UNIQUE,
      provider_sid text UNIQUE,
      from_phone text,
      to_phone text NOT NULL,
      body text NOT NULL,
      status text NOT NULL DEFAULT 'sending',
      protocol text,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX conversation_messages_conversation ON conversation_messages (conversation_id, id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS conversation_messages, conversation_handoffs;
    DROP INDEX IF EXISTS messages_contact, inbound_messages_campaign;
    ALTER TABLE inbound_messages DROP COLUMN IF EXISTS reply;
  `.execute(db);
}
