import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// Notifications to the operator's own systems. An endpoint subscribes to event types; each fact
// writes an event (the outbox) and one delivery per subscribed endpoint in the transaction that
// stores the fact, so a process dying between the fact and its event cannot lose it. Nothing is
// written unless an enabled endpoint subscribes to the type (one probe of a tiny table).
//
// `webhook_emit` is the one way to write events: the triggers below use it for the facts that
// already have a row of their own (an inbound message, a hand-off marked sent, a campaign marked
// completed, a number's state change), and the application calls it for opt-outs.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE webhook_endpoints (
      id text PRIMARY KEY,
      url text NOT NULL,
      events text[] NOT NULL CHECK (cardinality(events) > 0),
      description text,
      secret text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz
    );

    CREATE TABLE webhook_events (
      id bigserial PRIMARY KEY,
      public_id text NOT NULL UNIQUE
        DEFAULT 'evt_' || replace(gen_random_uuid()::text, '-', ''),
      type text NOT NULL,
      ordering_key text NOT NULL,
      data jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE webhook_deliveries (
      endpoint_id text NOT NULL REFERENCES webhook_endpoints (id),
      event_id bigint NOT NULL REFERENCES webhook_events (id),
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'delivered', 'failing', 'given_up')),
      attempts int NOT NULL DEFAULT 0,
      last_status_code int,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_attempt_at timestamptz,
      delivered_at timestamptz,
      PRIMARY KEY (endpoint_id, event_id)
    );
    CREATE INDEX webhook_deliveries_open ON webhook_deliveries (endpoint_id, event_id)
      WHERE status IN ('pending', 'failing');

    CREATE FUNCTION webhook_subscribed(p_type text) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT EXISTS (SELECT 1 FROM webhook_endpoints
                      WHERE disabled_at IS NULL AND p_type = ANY (events))
    $$;

    -- Events of one ordering key are written one transaction at a time (a transaction-scoped
    -- lock on the key, taken before the event's id): for a key, id order is commit order, so a
    -- reader that sees an event has already seen every earlier one of its key.
    CREATE FUNCTION webhook_emit(p_type text, p_keys text[], p_data jsonb[], p_at timestamptz)
      RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT webhook_subscribed(p_type) THEN RETURN; END IF;
      PERFORM pg_advisory_xact_lock(hashtextextended('webhook:' || keys.k, 0))
         FROM (SELECT DISTINCT k FROM unnest(p_keys) AS u(k) ORDER BY k) AS keys;
      WITH subscribers AS (
        SELECT id FROM webhook_endpoints WHERE disabled_at IS NULL AND p_type = ANY (events)
      ), emitted AS (
        INSERT INTO webhook_events (type, ordering_key, data, created_at)
        SELECT p_type, u.k, u.d, p_at
          FROM unnest(p_keys, p_data) WITH ORDINALITY AS u(k, d, n)
         ORDER BY u.n
        RETURNING id
      )
      INSERT INTO webhook_deliveries (endpoint_id, event_id, created_at)
      SELECT s.id, e.id, p_at FROM subscribers s CROSS JOIN emitted e;
    END $$;

    CREATE FUNCTION webhook_inbound_batch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF webhook_subscribed('conversation.reply_received') THEN
        PERFORM webhook_emit('conversation.reply_received',
          array_agg(r.from_phone ORDER BY r.id),
          array_agg(jsonb_build_object(
            'message_id', r.id::text,
            'contact', jsonb_build_object('id', r.contact_id::text, 'phone', r.from_phone),
            'campaign_id', r.campaign_id,
            'channel', CASE WHEN r.provider = 'twilio' THEN 'sms'
                            ELSE COALESCE(r.protocol, 'imessage') END,
            'from', r.from_phone,
            'to', r.to_phone,
            'body', r.body,
            'classification', r.classification,
            'received_at', r.received_at) ORDER BY r.id),
          now())
          FROM inbound_rows r;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER inbound_messages_webhooks AFTER INSERT ON inbound_messages
      REFERENCING NEW TABLE AS inbound_rows
      FOR EACH STATEMENT EXECUTE FUNCTION webhook_inbound_batch();

    CREATE FUNCTION webhook_handed_off() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF webhook_subscribed('conversation.handed_off') THEN
        PERFORM webhook_emit('conversation.handed_off', ARRAY[c.phone], ARRAY[jsonb_build_object(
            'handoff_id', NEW.id::text,
            'conversation_id', NEW.conversation_id::text,
            'contact', jsonb_build_object('id', c.id::text, 'phone', c.phone),
            'campaign_id', NEW.campaign_id,
            'mode', NEW.mode,
            'step', NEW.step,
            'line', n.phone,
            'handed_off_at', NEW.handed_off_at)], now())
          FROM conversations cv JOIN contacts c ON c.id = cv.contact_id
          LEFT JOIN sender_numbers n ON n.id = NEW.number_id
         WHERE cv.id = NEW.conversation_id;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER conversation_handoffs_webhooks AFTER UPDATE OF status ON conversation_handoffs
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM 'sent' AND NEW.status = 'sent')
      EXECUTE FUNCTION webhook_handed_off();

    CREATE FUNCTION webhook_campaign_completed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF webhook_subscribed('campaign.completed') THEN
        PERFORM webhook_emit('campaign.completed', ARRAY['campaign:' || NEW.id],
          ARRAY[jsonb_build_object(
            'campaign', jsonb_build_object('id', NEW.id, 'name', NEW.name),
            'status', NEW.status,
            'finished_at', NEW.finished_at,
            'messages_by_status', COALESCE((
              SELECT jsonb_object_agg(status, n) FROM (
                SELECT status, count(*) AS n FROM messages WHERE campaign_id = NEW.id
                 GROUP BY status) counts), '{}'::jsonb))], now());
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER campaigns_webhooks AFTER UPDATE OF status ON campaigns
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM 'completed' AND NEW.status = 'completed')
      EXECUTE FUNCTION webhook_campaign_completed();

    CREATE FUNCTION webhook_number_states() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF webhook_subscribed('number.state_changed') THEN
        PERFORM webhook_emit('number.state_changed',
          array_agg('number:' || s.number_id ORDER BY s.id),
          array_agg(jsonb_build_object(
            'number', jsonb_build_object('id', s.number_id::text, 'phone', n.phone,
                                         'pool_id', n.pool_id),
            'from_state', s.from_state,
            'to_state', s.to_state,
            'reason', s.reason,
            'error_code', s.error_code,
            'delivery_rate', s.delivery_rate,
            'samples', s.samples,
            'changed_at', s.created_at) ORDER BY s.id),
          now())
          FROM state_rows s JOIN sender_numbers n ON n.id = s.number_id;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER sender_state_changes_webhooks AFTER INSERT ON sender_state_changes
      REFERENCING NEW TABLE AS state_rows
      FOR EACH STATEMENT EXECUTE FUNCTION webhook_number_states();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER IF EXISTS sender_state_changes_webhooks ON sender_state_changes;
    DROP TRIGGER IF EXISTS campaigns_webhooks ON campaigns;
    DROP TRIGGER IF EXISTS conversation_handoffs_webhooks ON conversation_handoffs;
    DROP TRIGGER IF EXISTS inbound_messages_webhooks ON inbound_messages;
    DROP FUNCTION IF EXISTS webhook_number_states();
    DROP FUNCTION IF EXISTS webhook_campaign_completed();
    DROP FUNCTION IF EXISTS webhook_handed_off();
    DROP FUNCTION IF EXISTS webhook_inbound_batch();
    DROP FUNCTION IF EXISTS webhook_emit(text, text[], jsonb[], timestamptz);
    DROP FUNCTION IF EXISTS webhook_subscribed(text);
    DROP TABLE IF EXISTS webhook_deliveries;
    DROP TABLE IF EXISTS webhook_events;
    DROP TABLE IF EXISTS webhook_endpoints;
  `.execute(db);
}
