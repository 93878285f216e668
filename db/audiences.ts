import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { memberPartition } from './audience-members.ts';

/** What the caller's loader staged, described. */
export interface StagedUpload {
  name: string;
  columns: string[];
  rowsRead: number;
  rejected: number;
}

/**
 * COPY text for `audience_staging` (line, phone, country, area_code, region, time_zone,
 * attributes, member, reason, value): accepted rows have a phone and no reason, rejections
 * the reverse. A phone appears at most once per chunk; `member` is true only in the first
 * chunk that holds it (the contact becomes a member once; later chunks update it).
 */
export interface StageChunk {
  data: Buffer;
  /** Accepted rows whose phone an earlier chunk already held. */
  repeats: number;
}

/**
 * Hands one chunk to PostgreSQL; resolves once the previous chunk is merged, so the caller
 * may then reuse the previous chunk's buffer (not this one's).
 */
export type StageChunkFn = (chunk: StageChunk) => Promise<void>;

export interface Rejection {
  line: number;
  reason: string;
  value: string;
}

export interface ImportedAudience {
  id: string;
  name: string;
  columns: string[];
  rowsRead: number;
  imported: number;
  duplicates: number;
  rejected: number;
  createdAt: Date;
  firstRejections: Rejection[];
}

const STAGING = `
  CREATE TEMP TABLE audience_staging (
    line integer NOT NULL,
    phone text COLLATE "C",
    country text,
    area_code text,
    region text,
    time_zone text,
    attributes jsonb,
    member boolean,
    reason text,
    value text
  ) ON COMMIT DROP`;

/**
 * Upserts one staged chunk's contacts (`member` picks which rows): new contacts are
 * inserted, existing ones get their attributes merged (new keys win) and geo refreshed. A
 * contact already merged from an earlier chunk (a duplicate further down the file) is updated
 * again, so the last line wins. Rows are upserted in phone order so concurrent writers lock
 * contacts in one order. `opted_out_at` is never touched.
 */
function upsertContacts(member: boolean): string {
  return `
    INSERT INTO contacts AS c (phone, country, area_code, region, time_zone, attributes)
    SELECT phone, country, area_code, region, time_zone, attributes
    FROM audience_staging WHERE reason IS NULL AND ${member ? 'member' : 'NOT member'}
    ORDER BY phone
    ON CONFLICT (phone) DO UPDATE SET
      country = excluded.country,
      area_code = excluded.area_code,
      region = excluded.region,
      time_zone = excluded.time_zone,
      attributes = c.attributes || excluded.attributes,
      updated_at = now()
    RETURNING c.id`;
}

/** New members go to the audience's own partition, a plain table until the import ends. */
const mergeMembers = (partition: string) => `
  WITH upserted AS (${upsertContacts(true)})
  INSERT INTO ${partition} (audience_id, contact_id) SELECT $1, id FROM upserted`;

const UPDATE_REPEATS = upsertContacts(false);

const REJECT = `
  INSERT INTO audience_rejections (audience_id, line, reason, value)
  SELECT $1, line, reason, value FROM audience_staging WHERE reason IS NOT NULL`;

/** Imports run one at a time: each is a bulk write that already uses a core of its own. */
const IMPORT_LOCK = 'tandem.audience_import';

/**
 * Imports one upload in one transaction, pipelined: `load` hands chunks of COPY text to
 * the stage function, and each chunk is copied into a temporary staging table and merged
 * (contacts, memberships, rejections) while the loader prepares the next one. At most one
 * chunk is in PostgreSQL and one in the making, so memory stays flat. Any failure rolls
 * everything back.
 */
export async function importAudience(
  client: pg.ClientBase,
  name: string,
  load: (stage: StageChunkFn) => Promise<StagedUpload>,
): Promise<ImportedAudience> {
  await client.query('BEGIN');
  let inFlight: Promise<void> = Promise.resolve();
  try {
    await client.query(`SET LOCAL synchronous_commit = off`);
    // Each chunk's rows are sorted in memory before the upsert.
    await client.query(`SET LOCAL work_mem = '32MB'`);
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [IMPORT_LOCK]);
    await client.query(STAGING);
    const audience = await client.query<{ id: string; created_at: Date }>(
      'INSERT INTO audiences (name) VALUES ($1) RETURNING id, created_at',
      [name],
    );
    const row = audience.rows[0];
    if (row === undefined) throw new Error('INSERT INTO audiences returned no row');
    // The members are loaded into a plain table and attached as the audience's partition at
    // the end: its primary key is built in one sort and the foreign keys checked in one join.
    const partition = memberPartition(row.id);
    await client.query(
      `CREATE TABLE ${partition} (
         audience_id uuid NOT NULL CHECK (audience_id = '${row.id}'),
         contact_id bigint NOT NULL)`,
    );
    const merge = mergeMembers(partition);
    let imported = 0;
    const mergeChunk = async (chunk: StageChunk) => {
      await client.query('TRUNCATE audience_staging');
      const copy = client.query(copyFrom('COPY audience_staging FROM STDIN'));
      await new Promise<void>((resolve, reject) => {
        copy.once('finish', resolve).once('error', reject);
        copy.end(chunk.data);
      });
      await client.query(REJECT, [row.id]);
      const merged = await client.query(merge, [row.id]);
      imported += merged.rowCount ?? 0;
      if (chunk.repeats > 0) await client.query(UPDATE_REPEATS);
    };
    const stage: StageChunkFn = async (chunk) => {
      await inFlight;
      inFlight = mergeChunk(chunk);
      // Surfaced by the next stage() or the final await; never unhandled meanwhile.
      inFlight.catch(() => {});
    };
    const staged = await load(stage);
    await inFlight;
    await client.query(`ALTER TABLE ${partition} ADD PRIMARY KEY (audience_id, contact_id)`);
    await client.query(
      `ALTER TABLE audience_members ATTACH PARTITION ${partition} FOR VALUES IN ('${row.id}')`,
    );
    const duplicates = staged.rowsRead - staged.rejected - imported;
    await client.query(
      `UPDATE audiences SET name = $2, columns = $3, rows_read = $4, imported = $5,
         duplicates = $6, rejected = $7 WHERE id = $1`,
      [row.id, staged.name, staged.columns, staged.rowsRead, imported, duplicates, staged.rejected],
    );
    const first = await client.query<Rejection>(
      `SELECT line, reason, value FROM audience_rejections WHERE audience_id = $1
       ORDER BY line LIMIT $2`,
      [row.id, FIRST_REJECTIONS],
    );
    await client.query('COMMIT');
    return {
      id: row.id,
      name: staged.name,
      columns: staged.columns,
      rowsRead: staged.rowsRead,
      imported,
      duplicates,
      rejected: staged.rejected,
      createdAt: row.created_at,
      firstRejections: first.rows,
    };
  } catch (error) {
    await inFlight.catch(() => {});
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

export const FIRST_REJECTIONS = 100;

/**
 * A dedicated connection for one upload (COPY needs the raw pg client). Its temporary
 * buffers hold a whole staging chunk, so the staging table never spills to disk.
 */
export async function withImportClient<T>(
  connectionString: string,
  work: (client: pg.ClientBase) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`SET temp_buffers = '64MB'`);
    return await work(client);
  } finally {
    await client.end();
  }
}
