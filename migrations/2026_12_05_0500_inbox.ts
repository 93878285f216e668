import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import application code here.
// The inbox: every contact who answered has a conversation (not only those handed off), with
// its assignee, whether it is closed, when it was last read, and the times that order and
// filter the list: the last inbound message, the last answer written by a person (`author`
// on the outbound message; tandem's own follow-ups have none), and the last activity of any
// kind. Triggers keep those times, so every path that stores a message keeps the inbox true;
// a message from the contact reopens a closed conversation.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE conversations
      ALTER COLUMN workflow_id DROP NOT NULL,
      ADD COLUMN assigned_to text,
      ADD COLUMN assigned_at timestamptz,
      ADD COLUMN closed_at timestamptz,
      ADD COLUMN last_read_at timestamptz,
      ADD COLUMN last_inbound_at timestamptz,
      ADD COLUMN last_agent_at timestamptz,
      ADD COLUMN last_activity_at timestamptz;
    ALTER TABLE conversation_messages ADD COLUMN author text;

    INSERT INTO conversations (contact_id, campaign_id)
    SELECT DISTINCT ON (contact_id) contact_id, campaign_id
      FROM inbound_messages WHERE contact_id IS NOT NULL
     ORDER BY contact_id, received_at DESC
    ON CONFLICT (contact_id) DO NOTHING;
    UPDATE conversations cv SET
      last_inbound_at = (SELECT max(received_at) FROM inbound_messages im
                          WHERE im.contact_id = cv.contact_id),
      last_activity_at = GREATEST(
        cv.created_at,
        (SELECT max(received_at) FROM inbound_messages im WHERE im.contact_id = cv.contact_id),
        (SELECT max(created_at) FROM conversation_messages cm WHERE cm.conversation_id = cv.id));
    ALTER TABLE conversations ALTER COLUMN last_activity_at SET DEFAULT now();
    UPDATE conversations SET last_activity_at = created_at WHERE last_activity_at IS NULL;
    ALTER TABLE conversations ALTER COLUMN last_activity_at SET NOT NULL;
    CREATE INDEX conversations_activity ON conversations (last_activity_at DESC, id DESC);
    CREATE INDEX conversations_assignee ON conversations (assigned_to, last_activity_at DESC)
      WHERE assigned_to IS NOT NULL;

    CREATE FUNCTION inbox_inbound_batch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO conversations AS cv (contact_id, campaign_id, last_inbound_at, last_activity_at)
      SELECT DISTINCT ON (contact_id) contact_id, campaign_id, received_at, received_at
        FROM inbound_rows WHERE contact_id IS NOT NULL
       ORDER BY contact_id, received_at DESC
      ON CONFLICT (contact_id) DO UPDATE SET
        campaign_id = COALESCE(cv.campaign_id, EXCLUDED.campaign_id),
        closed_at = NULL,
        last_inbound_at = GREATEST(cv.last_inbound_at, EXCLUDED.last_inbound_at),
        last_activity_at = GREATEST(cv.last_activity_at, EXCLUDED.last_activity_at),
        updated_at = now();
      RETURN NULL;
    END $$;
    CREATE TRIGGER inbound_messages_inbox AFTER INSERT ON inbound_messages
      REFERENCING NEW TABLE AS inbound_rows
      FOR EACH STATEMENT EXECUTE FUNCTION inbox_inbound_batch();

    CREATE FUNCTION inbox_inbound_attached() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO conversations AS cv (contact_id, campaign_id, last_inbound_at, last_activity_at)
      VALUES (NEW.contact_id, NEW.campaign_id, NEW.received_at, NEW.received_at)
      ON CONFLICT (contact_id) DO UPDATE SET
        closed_at = NULL,
        last_inbound_at = GREATEST(cv.last_inbound_at, EXCLUDED.last_inbound_at),
        last_activity_at = GREATEST(cv.last_activity_at, EXCLUDED.last_activity_at),
        updated_at = now();
      RETURN NULL;
    END $$;
    CREATE TRIGGER inbound_messages_inbox_attached AFTER UPDATE OF contact_id ON inbound_messages
      FOR EACH ROW WHEN (OLD.contact_id IS NULL AND NEW.contact_id IS NOT NULL)
      EXECUTE FUNCTION inbox_inbound_attached();

    CREATE FUNCTION inbox_outbound() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE conversations SET
        last_activity_at = GREATEST(last_activity_at, NEW.created_at),
        last_agent_at = CASE WHEN NEW.author IS NULL THEN last_agent_at
                             ELSE GREATEST(last_agent_at, NEW.created_at) END
       WHERE id = NEW.conversation_id;
      RETURN NULL;
    END $$;
    CREATE TRIGGER conversation_messages_inbox AFTER INSERT ON conversation_messages
      FOR EACH ROW EXECUTE FUNCTION inbox_outbound();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER IF EXISTS conversation_messages_inbox ON conversation_messages;
    DROP TRIGGER IF EXISTS inbound_messages_inbox_attached ON inbound_messages;
    DROP TRIGGER IF EXISTS inbound_messages_inbox ON inbound_messages;
    DROP FUNCTION IF EXISTS inbox_outbound(), inbox_inbound_attached(), inbox_inbound_batch();
    DROP INDEX IF EXISTS conversations_assignee, conversations_activity;
    ALTER TABLE conversation_messages DROP COLUMN IF EXISTS author;
    DELETE FROM conversations WHERE workflow_id IS NULL;
    ALTER TABLE conversations
      DROP COLUMN assigned_to, DROP COLUMN assigned_at, DROP COLUMN closed_at,
      DROP COLUMN last_read_at, DROP COLUMN last_inbound_at, DROP COLUMN last_agent_at,
      DROP COLUMN last_activity_at,
      ALTER COLUMN workflow_id SET NOT NULL;
  `.execute(db);
}
