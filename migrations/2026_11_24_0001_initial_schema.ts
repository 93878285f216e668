import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audiences (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      columns text[] NOT NULL DEFAULT '{}',
      rows_read integer NOT NULL DEFAULT 0,
      imported integer NOT NULL DEFAULT 0,
      duplicates integer NOT NULL DEFAULT 0,
      rejected integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE audience_rejections (
      audience_id uuid NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
      line integer NOT NULL,
      reason text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (audience_id, line)
    );

    CREATE TABLE contacts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      phone text NOT NULL UNIQUE,
      country text NOT NULL,
      area_code text,
      region text,
      time_zone text,
      attributes jsonb NOT NULL DEFAULT '{}',
      opted_out_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE audience_members (
      audience_id uuid NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
      contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      PRIMARY KEY (audience_id, contact_id)
    );

    CREATE TABLE opt_outs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      action text NOT NULL CHECK (action IN ('opt_out', 'opt_in')),
      channel text NOT NULL CHECK (channel IN ('sms', 'imessage', 'api')),
      keyword text,
      inbound_message_id bigint,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX opt_outs_contact ON opt_outs (contact_id, created_at);

    CREATE TABLE pools (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      provider text NOT NULL CHECK (provider IN ('twilio', 'blooio')),
      sticky_sender boolean NOT NULL DEFAULT true,
      geomatch boolean NOT NULL DEFAULT true,
      skip_unhealthy boolean NOT NULL DEFAULT true,
      long_code_weight integer NOT NULL DEFAULT 1 CHECK (long_code_weight >= 0),
      toll_free_weight integer NOT NULL DEFAULT 1 CHECK (toll_free_weight >= 0),
      short_code_weight integer NOT NULL DEFAULT 1 CHECK (short_code_weight >= 0),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE sender_numbers (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      pool_id uuid NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
      phone text NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('long_code', 'toll_free', 'short_code', 'imessage')),
      weight integer NOT NULL DEFAULT 1 CHECK (weight >= 0),
      mps double precision NOT NULL CHECK (mps > 0),
      daily_cap integer CHECK (daily_cap > 0),
      area_code text,
      region text,
      state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'cooling', 'probation', 'retired')),
      state_changed_at timestamptz NOT NULL DEFAULT now(),
      cooling_until timestamptz,
      -- GCRA theoretical arrival time: the earliest instant the next segment may leave.
      next_slot_at timestamptz NOT NULL DEFAULT '-infinity',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sender_numbers_pool ON sender_numbers (pool_id, state);

    CREATE TABLE sender_state_changes (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      number_id bigint NOT NULL REFERENCES sender_numbers(id) ON DELETE CASCADE,
      from_state text NOT NULL,
      to_state text NOT NULL,
      reason text NOT NULL,
      delivery_rate double precision,
      samples integer,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sender_state_changes_number ON sender_state_changes (number_id, created_at);

    CREATE TABLE sticky_senders (
      pool_id uuid NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
      contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      number_id bigint NOT NULL REFERENCES sender_numbers(id) ON DELETE CASCADE,
      assigned_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (pool_id, contact_id)
    );

    CREATE TABLE campaigns (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      audience_id uuid NOT NULL REFERENCES audiences(id),
      sms_pool_id uuid NOT NULL REFERENCES pools(id),
      followup_pool_id uuid REFERENCES pools(id),
      quiet_hours jsonb NOT NULL DEFAULT '{"start":"08:00","end":"21:00"}',
      retry_policy jsonb NOT NULL DEFAULT '{"max_attempts":3,"backoff_seconds":60}',
      help_text text,
      interested_keywords text[] NOT NULL DEFAULT '{YES}',
      status text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'running', 'paused', 'completed', 'cancelled', 'failed')),
      workflow_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      launched_at timestamptz,
      finished_at timestamptz
    );

    CREATE TABLE campaign_steps (
      campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
      step integer NOT NULL CHECK (step >= 0),
      template text NOT NULL,
      delay_seconds integer NOT NULL DEFAULT 0,
      condition text NOT NULL DEFAULT 'all',
      condition_keyword text,
      PRIMARY KEY (campaign_id, step)
    );

    CREATE TABLE messages (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
      step integer NOT NULL,
      contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      to_phone text NOT NULL,
      from_number_id bigint REFERENCES sender_numbers(id),
      from_phone text,
      body text,
      segments integer,
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'queued', 'sent', 'delivered', 'undelivered', 'failed', 'skipped')),
      provider_sid text UNIQUE,
      error_code integer,
      skip_reason text,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      final_at timestamptz,
      UNIQUE (campaign_id, step, contact_id)
    );
    CREATE INDEX messages_campaign_status ON messages (campaign_id, status);

    CREATE TABLE message_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      message_id bigint NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      attempt integer NOT NULL,
      from_number_id bigint REFERENCES sender_numbers(id),
      provider_sid text UNIQUE,
      status text NOT NULL,
      error_code integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (message_id, attempt)
    );

    CREATE TABLE message_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      provider text NOT NULL CHECK (provider IN ('twilio', 'blooio')),
      provider_sid text NOT NULL,
      status text NOT NULL,
      error_code integer,
      dedupe_key text NOT NULL UNIQUE,
      payload jsonb NOT NULL,
      applied_at timestamptz,
      received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX message_events_sid ON message_events (provider_sid);
    CREATE INDEX message_events_unapplied ON message_events (received_at) WHERE applied_at IS NULL;

    CREATE TABLE inbound_messages (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      provider text NOT NULL CHECK (provider IN ('twilio', 'blooio')),
      provider_sid text NOT NULL UNIQUE,
      from_phone text NOT NULL,
      to_phone text NOT NULL,
      body text NOT NULL,
      protocol text,
      contact_id bigint REFERENCES contacts(id) ON DELETE SET NULL,
      campaign_id uuid REFERENCES campaigns(id) ON DELETE SET NULL,
      classification text,
      received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX inbound_messages_contact ON inbound_messages (contact_id, received_at);

    CREATE TABLE conversations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      contact_id bigint NOT NULL UNIQUE REFERENCES contacts(id) ON DELETE CASCADE,
      campaign_id uuid REFERENCES campaigns(id) ON DELETE SET NULL,
      pool_id uuid REFERENCES pools(id),
      number_id bigint REFERENCES sender_numbers(id),
      workflow_id text NOT NULL,
      status text NOT NULL DEFAULT 'open',
      handed_off_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS conversations, inbound_messages, message_events, message_attempts,
      messages, campaign_steps, campaigns, sticky_senders, sender_state_changes, sender_numbers,
      pools, opt_outs, audience_members, contacts, audience_rejections, audiences CASCADE;
  `.execute(db);
}
