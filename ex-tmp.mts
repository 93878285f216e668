import pg from 'pg';
const c = new pg.Client({ connectionString: 'postgres://tandem:tandem@127.0.0.1:55433/tandem_bench_ingest' });
await c.connect();
try {
await c.query('BEGIN');
await c.query("SET LOCAL work_mem='256MB'");
await c.query(`CREATE TEMP TABLE audience_staging ON COMMIT DROP AS SELECT line, phone, country, area_code, region, time_zone, attributes, NULL::text AS reason, NULL::text AS value FROM bench_raw_copy`);
await c.query('DELETE FROM audience_members'); await c.query('DELETE FROM contacts');
const a = await c.query(`INSERT INTO audiences (name) VALUES ('x') RETURNING id`);
const r = await c.query(`EXPLAIN (ANALYZE, BUFFERS) WITH latest AS (
    SELECT DISTINCT ON (phone) phone, country, area_code, region, time_zone, attributes
    FROM audience_staging WHERE reason IS NULL ORDER BY phone, line DESC
  ), upserted AS (
    INSERT INTO contacts AS c (phone, country, area_code, region, time_zone, attributes)
    SELECT phone, country, area_code, region, time_zone, attributes FROM latest
    ON CONFLICT (phone) DO UPDATE SET attributes = c.attributes || excluded.attributes, updated_at = now()
    RETURNING c.id
  ) INSERT INTO audience_members (audience_id, contact_id) SELECT $1, id FROM upserted`, [a.rows[0].id]);
console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
} catch (e) { console.log('ERR', e); }
await c.query('ROLLBACK'); await c.end();
