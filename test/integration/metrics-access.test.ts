import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { parseExposition, total } from '../support/prometheus.ts';

describe('the API /metrics', () => {
  let guarded: TestApi;
  let off: TestApi;
  let open: TestApi;
  beforeAll(async () => {
    [guarded, off, open] = await Promise.all([
      startTestApi({ METRICS_ACCESS: 'auth', METRICS_CACHE_SECONDS: '0' }),
      startTestApi({ METRICS_ACCESS: 'off' }),
      startTestApi({ METRICS_CACHE_SECONDS: '60' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([guarded?.close(), off?.close(), open?.close()]);
  });

  const scrape = (api: TestApi, headers: Record<string, string> = {}) =>
    api.app.inject({ method: 'GET', url: '/metrics', headers });
  const addCampaign = async (api: TestApi, status: 'running' | 'completed') => {
    const { db } = api.database;
    const audience = await db
      .insertInto('audiences')
      .values({ name: 'a', columns: [] })
      .returning('id')
      .executeTakeFirstOrThrow();
    const pool = await db
      .insertInto('pools')
      .values({ name: 'p', provider: 'twilio' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('campaigns')
      .values({
        name: 'c',
        audience_id: audience.id,
        sms_pool_id: pool.id,
        followup_pool_id: null,
        quiet_hours: { start: '08:00', end: '21:00' },
        retry_policy: { max_attempts: 3, backoff_seconds: 60 },
        help_text: null,
        handoff_mode: null,
        followup_text: null,
        text_us_text: null,
        status,
        workflow_id: null,
        created_at: new Date(),
      })
      .execute();
  };

  it('auth: 401 without a valid key, the series with any key; off: a 404, not the console', async () => {
    const anonymous = await scrape(guarded);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    expect((await scrape(guarded, { authorization: 'Bearer tdm_wrong' })).statusCode).toBe(401);
    const allowed = await scrape(guarded, guarded.auth);
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(allowed.body).toContain('# TYPE tandem_campaign_messages gauge');
    expect(allowed.body).toContain('# TYPE tandem_status_lag_seconds histogram');

    const gone = await scrape(off, off.auth);
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['content-type']).toMatch(/json/);
  });

  it('reads PostgreSQL at most once per METRICS_CACHE_SECONDS', async () => {
    // No cache: a new campaign shows at the next scrape.
    await addCampaign(guarded, 'running');
    const fresh = parseExposition((await scrape(guarded, guarded.auth)).body);
    expect(total(fresh, 'tandem_campaigns', { status: 'running' })).toBe(1);
    expect(total(fresh, 'tandem_campaign_stalled')).toBe(0);

    // Public (not production), cached for a minute: the second scrape shows the first's figures.
    const before = parseExposition((await scrape(open)).body);
    expect(total(before, 'tandem_campaigns')).toBe(0);
    await addCampaign(open, 'completed');
    const cached = parseExposition((await scrape(open)).body);
    expect(total(cached, 'tandem_campaigns')).toBe(0);
    expect(total(cached, 'tandem_metrics_snapshot_seconds')).toBe(
      total(before, 'tandem_metrics_snapshot_seconds'),
    );
  });
});
