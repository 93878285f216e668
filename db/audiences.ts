import type { Writable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** What the caller's loader wrote into `audience_staging`, described. */
export interface StagedUpload {
  name: string;
  columns: string[];
  rowsRead: number;
  rejected: number;
}

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
    phone text,
    country text,
    area_code text,
    region text,
    time_zone text,
    attributes jsonb,
    reason text,
    value text
  ) ON COMMIT DROP`;

/**
 * One row per contact, the last line winning for in-file duplicates; existing contacts get
 * their attributes merged (new keys win) and geo refreshed. `opted_out_at` is never touched.
 */
const MERGE = `
  WITH latest AS (
    SELECT DISTINCT ON (phone) phone, country, area_code, region, time_zone, attributes
    FROM audience_staging WHERE reason IS NULL
    ORDER BY phone, line DESC
  ), upserted AS (
    INSERT INTO contacts AS c (phone, country, area_code, region, time_zone, attributes)
    SELECT phone, country, area_code, region, time_zone, attributes FROM latest
    ON CONFLICT (phone) DO UPDATE SET
      country = excluded.country,
      area_code = excluded.area_code,
      region = excluded.region,
      time_zone = excluded.time_zone,
      attributes = c.attributes || excluded.attributes,
      updated_at = now()
    RETURNING c.id
  )
  INSERT INTO audience_members (audience_id, contact_id)
  SELECT $1, id FROM upserted`;

/**
 * Imports one upload in one transaction: `load` streams COPY text into a temporary
 * staging table, then one statement merges contacts and memberships and one copies the
 * rejections. Any failure rolls everything back.
 */
export async function importAudience(
  client: pg.ClientBase,
  load: (copyIn: Writable) => Promise<StagedUpload>,
): Promise<ImportedAudience> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL work_mem = '256MB'`);
    await client.query(STAGING);
    const staged = await load(client.query(copyFrom('COPY audience_staging FROM STDIN')));
    const audience = await client.query<{ id: string; created_at: Date }>(
      'INSERT INTO audiences (name, columns) VALUES ($1, $2) RETURNING id, created_at',
      [staged.name, staged.columns],
    );
    const row = audience.rows[0];
    if (row === undefined) throw new Error('INSERT INTO audiences returned no row');
    const merged = await client.query(MERGE, [row.id]);
    const imported = merged.rowCount ?? 0;
    await client.query(
      `INSERT INTO audience_rejections (audience_id, line, reason, value)
       SELECT $1, line, reason, value FROM audience_staging WHERE reason IS NOT NULL`,
      [row.id],
    );
    const duplicates = staged.rowsRead - staged.rejected - imported;
    await client.query(
      'UPDATE audiences SET rows_read = $2, imported = $3, duplicates = $4, rejected = $5 WHERE id = $1',
      [row.id, staged.rowsRead, imported, duplicates, staged.rejected],
    );
    const first = await client.query<Rejection>(
      `SELECT line, reason, value FROM audience_staging WHERE reason IS NOT NULL ORDER BY line LIMIT $1`,
      [FIRST_REJECTIONS],
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
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

export const FIRST_REJECTIONS = 100;

/** A dedicated connection for one upload (COPY needs the raw pg client). */
export async function withImportClient<T>(
  connectionString: string,
  work: (client: pg.ClientBase) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
