import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

describe('Idempotency-Key on every POST under /v1', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const createPool = (key: string | undefined, name: string, app = api.app) =>
    app.inject({
      method: 'POST',
      url: '/v1/pools',
      headers: { ...api.auth, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      payload: { name, provider: 'twilio' },
    });

  const poolsNamed = async (name: string) =>
    api.database.db.selectFrom('pools').select('id').where('name', '=', name).execute();

  it('does the work once and replays the first answer for a repeated key', async () => {
    const first = await createPool('pool-key-1', 'once');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await createPool('pool-key-1', 'once');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await poolsNamed('once')).toHaveLength(1);
  });

  it('replays after the API restarts (the answer is in PostgreSQL)', async () => {
    const first = await createPool('pool-key-restart', 'restart');
    const restarted = await buildApp({
      config: api.config,
      db: api.database.db,
      databaseUrl: api.database.url,
      temporal: api.temporal,
    });
    try {
      await restarted.ready();
      const again = await createPool('pool-key-restart', 'restart', restarted);
      expect(again.statusCode).toBe(201);
      expect(again.json().id).toBe(first.json().id);
    } finally {
      await restarted.close();
    }
    expect(await poolsNamed('restart')).toHaveLength(1);
  });

  it('refuses the same key with a different body (422) and changes nothing', async () => {
    await createPool('pool-key-2', 'first body');
    const other = await createPool('pool-key-2', 'second body');
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    expect(await poolsNamed('second body')).toHaveLength(0);
  });

  it('refuses the same key on another route (422)', async () => {
    await createPool('pool-key-3', 'route one');
    const other = await api.app.inject({
      method: 'POST',
      url: '/v1/suppression-lists',
      headers: { ...api.auth, 'idempotency-key': 'pool-key-3' },
      payload: { name: 'route one' },
    });
    expect(other.statusCode).toBe(422);
  });

  it('sends once when two requests with one key race', async () => {
    const [a, b] = await Promise.all([
      createPool('pool-key-race', 'race'),
      createPool('pool-key-race', 'race'),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    // The loser either waited for the stored answer or was told to retry: never a second pool.
    expect(statuses[0]).toBe(201);
    expect([201, 409]).toContain(statuses[1]);
    expect(await poolsNamed('race')).toHaveLength(1);
  });

  it('replays client errors too, but not requests refused before they ran', async () => {
    const unknown = '00000000-0000-0000-0000-000000000000';
    const launch = () =>
      api.app.inject({
        method: 'POST',
        url: `/v1/campaigns/${unknown}/launch`,
        headers: { ...api.auth, 'idempotency-key': 'launch-unknown' },
      });
    const first = await launch();
    expect(first.statusCode).toBe(404);
    const again = await launch();
    expect(again.statusCode).toBe(404);
    expect(again.headers['idempotent-replayed']).toBe('true');

    const invalid = await api.app.inject({
      method: 'POST',
      url: '/v1/pools',
      headers: { ...api.auth, 'idempotency-key': 'invalid-body' },
      payload: { name: 'x', provider: 'pigeon' },
    });
    expect(invalid.statusCode).toBe(400);
    const fixed = await createPool('invalid-body', 'fixed');
    expect(fixed.statusCode).toBe(201);
  });

  it('refuses keys that are empty, too long or not printable', async () => {
    for (const key of ['x'.repeat(256), 'tab\there']) {
      const response = await createPool(key, 'bad key');
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('invalid_idempotency_key');
    }
    expect(await poolsNamed('bad key')).toHaveLength(0);
  });

  it('forgets a key after 24 hours, and takes over a claim whose request died', async () => {
    await createPool('pool-key-old', 'old');
    await api.database.db
      .updateTable('idempotency_keys')
      .set({ claimed_at: new Date(Date.now() - 25 * 3600 * 1000) })
      .where('key', '=', 'pool-key-old')
      .execute();
    const later = await createPool('pool-key-old', 'old');
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(await poolsNamed('old')).toHaveLength(2);

    // A claim with no answer, as a process that died mid-request leaves it.
    const held = await createPool('pool-key-held', 'held');
    await api.database.db
      .updateTable('idempotency_keys')
      .set({ completed_at: null, status_code: null, body: null })
      .where('key', '=', 'pool-key-held')
      .execute();
    const waiting = await createPool('pool-key-held', 'held');
    expect(waiting.statusCode).toBe(409);
    expect(waiting.json().error.code).toBe('idempotency_key_in_use');
    await api.database.db
      .updateTable('idempotency_keys')
      .set({ claimed_at: new Date(Date.now() - 120_000) })
      .where('key', '=', 'pool-key-held')
      .execute();
    const taken = await createPool('pool-key-held', 'held');
    expect(taken.statusCode).toBe(201);
    expect(taken.json().id).not.toBe(held.json().id);
  });

  it('documents the header on every POST under /v1', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const posts = Object.entries(
      doc.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>,
    )
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([, ops]) => (ops.post === undefined ? [] : [ops.post]));
    expect(posts.length).toBeGreaterThan(10);
    for (const post of posts) {
      const names = (post.parameters ?? []).map(
        (p: { name: string; in: string }) => `${p.in}:${p.name.toLowerCase()}`,
      );
      expect(names).toContain('header:idempotency-key');
    }
  });
});
