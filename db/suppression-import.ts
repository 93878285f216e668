import type pg from 'pg';
import { copyIn, IMPORT_LOCK, type StageChunkFn, type StagedUpload } from './audiences.ts';

export interface SuppressionRejection {
  line: number;
  reason: string;
  value: string;
}

export interface ImportedEntries {
  rowsRead: number;
  /** Lines with a valid number. */
  accepted: number;
  /** Numbers new to the list. */
  added: number;
  /** Numbers the list already held. */
  alreadyListed: number;
  /** Lines repeating a number of an earlier line of the file. */
  duplicates: number;
  rejected: number;
  /** The first rejections, in line order. */
  rejections: SuppressionRejection[];
}

export const REJECTIONS_SHOWN = 1000;

const STAGING = `
  CREATE TEMP TABLE suppression_staging (
    phone text COLLATE "C" NOT NULL,
    country text NOT NULL,
    area_code text,
    region text,
    time_zone text,
    attributes jsonb NOT NULL,
    line integer NOT NULL
  ) ON COMMIT DROP`;

const REJECTED = `
  CREATE TEMP TABLE suppression_rejected (line integer, reason text, value text) ON COMMIT DROP`;

/**
 * A number listed before it is ever a contact becomes a bare one (no attributes, in no
 * audience), so its consent event has a contact to name; an audience import later fills it in.
 */
const ENSURE_CONTACTS = `
  INSERT INTO contacts (phone, country, area_code, region, time_zone)
  SELECT phone, country, area_code, region, time_zone FROM suppression_staging ORDER BY phone
  ON CONFLICT (phone) DO NOTHING`;

/**
 * New entries of the list, each with its consent event (an opt-out of every channel, naming
 * the list and the line). Numbers already on the list change nothing.
 */
const ADD_ENTRIES = `
  WITH added AS (
    INSERT INTO suppression_entries (list_id, phone, line)
    SELECT $1, phone, line FROM suppression_staging ORDER BY phone
    ON CONFLICT (list_id, phone) DO NOTHING
    RETURNING phone, line
  ), logged AS (
    INSERT INTO consent_events (contact_id, action, channel, source, keyword, detail, suppression_list_id)
    SELECT c.id, 'opt_out', 'all', 'suppression_import', NULL,
           format('suppression list %s (%s), line %s', $2::text, $1::text, a.line), $1
      FROM added a JOIN contacts c ON c.phone = a.phone COLLATE "C"
  )
  SELECT count(*)::int AS n FROM added`;

/**
 * Adds an upload's numbers to a suppression list in one transaction, chunk by chunk as the
 * loader stages them (the audience import's staging: COPY, then set-based statements).
 * Suppression is read at send time (`messages.ts`), so nothing else changes: contacts are
 * not marked opted out, and the list holds for exactly the campaigns that honour it.
 */
export async function importSuppressionEntries(
  client: pg.ClientBase,
  list: { id: string; name: string },
  load: (stage: StageChunkFn) => Promise<StagedUpload>,
): Promise<ImportedEntries> {
  await client.query('BEGIN');
  let inFlight: Promise<void> = Promise.resolve();
  try {
    await client.query(`SET LOCAL synchronous_commit = off`);
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [IMPORT_LOCK]);
    await client.query(STAGING);
    await client.query(REJECTED);
    let staged = 0;
    let added = 0;
    const mergeChunk = async (chunk: Parameters<StageChunkFn>[0]) => {
      if (chunk.rejections.length > 0)
        await copyIn(client, 'COPY suppression_rejected FROM STDIN', chunk.rejections);
      if (chunk.members.length === 0) return;
      await client.query('TRUNCATE suppression_staging');
      staged += await copyIn(client, 'COPY suppression_staging FROM STDIN', chunk.members);
      await client.query(ENSURE_CONTACTS);
      const result = await client.query<{ n: number }>(ADD_ENTRIES, [list.id, list.name]);
      added += result.rows[0]?.n ?? 0;
    };
    const stage: StageChunkFn = async (chunk) => {
      await inFlight;
      inFlight = mergeChunk(chunk);
      // Surfaced by the next stage() or the final await; never unhandled meanwhile.
      inFlight.catch(() => {});
    };
    const upload = await load(stage);
    await inFlight;
    const rejections = await client.query<SuppressionRejection>(
      'SELECT line, reason, value FROM suppression_rejected ORDER BY line LIMIT $1',
      [REJECTIONS_SHOWN],
    );
    await client.query('COMMIT');
    const accepted = upload.rowsRead - upload.rejected;
    return {
      rowsRead: upload.rowsRead,
      accepted,
      added,
      alreadyListed: staged - added,
      duplicates: accepted - staged,
      rejected: upload.rejected,
      rejections: rejections.rows,
    };
  } catch (error) {
    await inFlight.catch(() => {});
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
