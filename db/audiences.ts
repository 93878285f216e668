import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { detachedPartitionDdl, memberPartition } from './audience-members.ts';

/** What the caller's loader staged, described. */
export interface StagedUpload {
  name: string;
  columns: string[];
  rowsRead: number;
  rejected: number;
}

/**
 * One chunk of an upload as COPY text. `members` and `repeats` hold contact rows (phone,
 * country, area_code, region, time_zone, attributes), a phone at most once per chunk:
 * `members` are phones the file had not held before (each becomes a member of the audience),
 * `repeats` phones an earlier chunk held (the contact is updated again: the last line wins).
 * `rejections` holds (line, reason, value).
 */
export interface StageChunk {
  members: Buffer;
  repeats: Buffer;
  rejections: Buffer;
}

/**
 * Hands one chunk to PostgreSQL; resolves once the previous chunk is merged, so the caller
 * may then reuse the previous chunk's buffers (not this one's).
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

const CONTACT_COLUMNS = 'phone, country, area_code, region, time_zone, attributes';

const STAGING = `
  CREATE TEMP TABLE audience_staging (
    phone text COLLATE "C" NOT NULL,
    country text NOT NULL,
    area_code text,
    region text,
    time_zone text,
    attributes jsonb NOT NULL
  ) ON COMMIT DROP`;

const REJECTED = `
  CREATE TEMP TABLE audience_rejected (line integer, reason text, value text) ON COMMIT DROP`;

/**
 * Upserts the staged contacts: new ones are inserted, existing ones get their attributes
 * merged (new keys win) and geo refreshed. Rows are upserted in phone order so concurrent
 * writers lock contacts in one order. `opted_out_at` is never touched.
 */
const UPSERT_STAGED = `
  INSERT INTO contacts AS c (${CONTACT_COLUMNS})
  SELECT ${CONTACT_COLUMNS} FROM audience_staging
  ORDER BY phone
  ON CONFLICT (phone) DO UPDATE SET
    country = excluded.country,
    area_code = excluded.area_code,
    region = excluded.region,
    time_zone = excluded.time_zone,
    attributes = c.attributes || excluded.attributes,
    updated_at = now()`;

/**
 * New members go to the audience's own partition, a plain table until the import ends, with
 * their row's values (the contact's own merge in earlier uploads' keys).
 */
const upsertMembers = (partition: string) => `
  WITH upserted AS (${UPSERT_STAGED} RETURNING c.id, c.phone)
  INSERT INTO ${partition} (audience_id, contact_id, attributes)
  SELECT $1, u.id, s.attributes FROM upserted u JOIN audience_staging s ON s.phone = u.phone`;

const MEMBER_UPDATES = `
  CREATE TEMP TABLE audience_member_updates (contact_id bigint, attributes jsonb, chunk integer)
  ON COMMIT DROP`;

/**
 * Phones met again in a later chunk update their contact now, and their membership's values
 * at the end (`UPDATE_MEMBERS`): the partition has no index until then, so one join then
 * costs one pass over it instead of one per chunk.
 */
const UPSERT_REPEATS = `
  WITH upserted AS (${UPSERT_STAGED} RETURNING c.id, c.phone)
  INSERT INTO audience_member_updates (contact_id, attributes, chunk)
  SELECT u.id, s.attributes, $1 FROM upserted u JOIN audience_staging s ON s.phone = u.phone`;

/** The last line of each repeated phone gives its membership's values. */
const updateMembers = (partition: string) => `
  UPDATE ${partition} m SET attributes = u.attributes
    FROM (SELECT DISTINCT ON (contact_id) contact_id, attributes FROM audience_member_updates
           ORDER BY contact_id, chunk DESC) u
   WHERE m.contact_id = u.contact_id`;

/**
 * Chunks first tried as new contacts, each COPYed straight into `contacts` in a savepoint
 * (the `contacts_import_members` trigger adds them to the partition). A transaction keeps
 * at most 64 subtransactions in shared memory; beyond that every other session's snapshot
 * checks take a slower path until it commits. Later chunks (past 1.2 million rows) go
 * through staging and the upsert.
 */
const MAX_NEW_CONTACT_CHUNKS = 48;

const UNIQUE_VIOLATION = '23505';

/**
 * A chunk's rejections move to the audience while the next chunk is parsed: at the end of the
 * file the import would wait for them alone.
 */
const REJECT = `
  WITH moved AS (DELETE FROM audience_rejected RETURNING line, reason, value)
  INSERT INTO audience_rejections (audience_id, line, reason, value)
  SELECT $1, line, reason, value FROM moved`;

/**
 * Imports (audiences and suppression lists) run one at a time: each is a bulk write that
 * already uses a core of its own, and both insert contacts.
 */
export const IMPORT_LOCK = 'tandem.audience_import';

/** COPYs `data` (COPY text) with `statement`; resolves with the rows copied. */
export async function copyIn(
  client: pg.ClientBase,
  statement: string,
  data: Buffer,
): Promise<number> {
  const copy = client.query(copyFrom(statement));
  await new Promise<void>((resolve, reject) => {
    copy.once('finish', resolve).once('error', reject);
    copy.end(data);
  });
  return copy.rowCount;
}

/**
 * Imports one upload in one transaction, pipelined: `load` hands chunks of COPY text to
 * the stage function, and each chunk is written to PostgreSQL (contacts, memberships,
 * rejections) while the loader prepares the next one. At most one chunk is in PostgreSQL
 * and one in the making, so memory stays flat. Any failure rolls everything back.
 *
 * A chunk's new phones are COPYed straight into `contacts`: the unique index on the phone
 * has the last word, and if one of them is a contact already (or another transaction just
 * made it one) the chunk is undone and upserted through a staging table instead, as is the
 * rest of the file. An upsert costs about twice a COPY: ON CONFLICT probes the phone index
 * once more per row, and INSERT … SELECT writes WAL row by row where COPY writes it a page
 * at a time.
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
    await client.query(REJECTED);
    await client.query(MEMBER_UPDATES);
    const audience = await client.query<{ id: string; created_at: Date }>(
      'INSERT INTO audiences (name) VALUES ($1) RETURNING id, created_at',
      [name],
    );
    const row = audience.rows[0];
    if (row === undefined) throw new Error('INSERT INTO audiences returned no row');
    // The members are loaded into a plain table and attached as the audience's partition at
    // the end: its primary key is built in one sort and the foreign keys checked in one join.
    const partition = memberPartition(row.id);
    await client.query(detachedPartitionDdl(row.id));
    const upsert = upsertMembers(partition);
    let newContactChunks = 0;
    let allNewSoFar = true;
    /** COPYs the chunk's members in as new contacts; false (and nothing done) if one exists. */
    const copiedAsNew = async (members: Buffer): Promise<number | false> => {
      if (!allNewSoFar || newContactChunks >= MAX_NEW_CONTACT_CHUNKS) return false;
      newContactChunks++;
      await client.query('SAVEPOINT new_contacts');
      try {
        await client.query(
          `SELECT set_config('tandem.import_partition', $1, true),
                  set_config('tandem.import_audience', $2, true)`,
          [partition, row.id],
        );
        const copied = await copyIn(
          client,
          `COPY contacts (${CONTACT_COLUMNS}) FROM STDIN`,
          members,
        );
        await client.query(`SELECT set_config('tandem.import_partition', '', true)`);
        await client.query('RELEASE SAVEPOINT new_contacts');
        return copied;
      } catch (error) {
        if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
        await client.query('ROLLBACK TO SAVEPOINT new_contacts');
        allNewSoFar = false;
        return false;
      }
    };
    const stageRows = async (rows: Buffer) => {
      await client.query('TRUNCATE audience_staging');
      await copyIn(client, 'COPY audience_staging FROM STDIN', rows);
    };
    let imported = 0;
    let chunks = 0;
    let repeated = false;
    const mergeChunk = async (chunk: StageChunk) => {
      chunks++;
      if (chunk.rejections.length > 0) {
        await copyIn(client, 'COPY audience_rejected FROM STDIN', chunk.rejections);
        await client.query(REJECT, [row.id]);
      }
      if (chunk.members.length > 0) {
        const copied = await copiedAsNew(chunk.members);
        if (copied !== false) imported += copied;
        else {
          await stageRows(chunk.members);
          imported += (await client.query(upsert, [row.id])).rowCount ?? 0;
        }
      }
      if (chunk.repeats.length > 0) {
        await stageRows(chunk.repeats);
        await client.query(UPSERT_REPEATS, [chunks]);
        repeated = true;
      }
    };
    const stage: StageChunkFn = async (chunk) => {
      await inFlight;
      inFlight = mergeChunk(chunk);
      // Surfaced by the next stage() or the final await; never unhandled meanwhile.
      inFlight.catch(() => {});
    };
    const staged = await load(stage);
    await inFlight;
    if (repeated) await client.query(updateMembers(partition));
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
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  // A connection lost mid-upload fails the statement running on it; unheard, the client's
  // own 'error' event would also end the API process.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`SET temp_buffers = '64MB'`);
    return await work(client);
  } finally {
    await client.end();
  }
}
