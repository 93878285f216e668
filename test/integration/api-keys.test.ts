import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyHash, SEND_ROUTES } from '../../core/api-keys.ts';
import { seedPool } from '../support/seed.ts';
import { startTestApi, TEST_API_KEY, type TestApi } from '../support/api.ts';

interface CreatedKey {
  id: string;
  name: string;
  scope: string;
  prefix: string;
  key: string;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A key made through the API with the admin (bootstrap) key of `api`. */
async function createKey(api: TestApi, name: string, scope: string): Promise<CreatedKey> {
  const response = await api.app.inject({
    method: 'POST',
    url: '/v1/api-keys',
    headers: api.auth,
    payload: { name, scope },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<CreatedKey>();
}

describe('API keys and scopes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('the environment key is the admin key "bootstrap", stored hashed', async () => {
    const list = await api.app.inject({ method: 'GET', url: '/v1/api-keys', headers: api.auth });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().api_keys).toEqual([
      expect.objectContaining({ name: 'bootstrap', scope: 'admin', prefix: 'env:API_KEY' }),
    ]);
    const rows = await api.database.db.selectFrom('api_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.key_hash.equals(apiKeyHash(TEST_API_KEY))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(TEST_API_KEY);
  });

  it('a read key can GET but cannot launch, create a pool or list keys (403 insufficient_scope)', async () => {
    const reader = await createKey(api, 'dashboard', 'read');
    expect(reader.key).toMatch(/^tdm_[A-Za-z0-9_-]{43}$/);
    const campaigns = await api.app.inject({
      method: 'GET',
      url: '/v1/campaigns',
      headers: bearer(reader.key),
    });
    expect(campaigns.statusCode, campaigns.body).toBe(200);
    for (const [method, url] of [
      ['POST', '/v1/campaigns/00000000-0000-0000-0000-000000000000/launch'],
      ['POST', '/v1/pools'],
      ['GET', '/v1/api-keys'],
    ] as const) {
      const refused = await api.app.inject({
        method,
        url,
        headers: bearer(reader.key),
        payload: method === 'POST' ? { name: 'x', provider: 'twilio' } : undefined,
      });
      expect(refused.statusCode, `${method} ${url}`).toBe(403);
      expect(refused.json().error).toMatchObject({
        code: 'insufficient_scope',
        details: { scope: 'read' },
      });
    }
  });

  it('a send key can send a message but cannot create keys or change a pool', async () => {
    const sender = await createKey(api, 'inbox agents', 'send');
    const poolId = await seedPool(api.database.db, [{ phone: '+14155550100', mps: 10 }]);
    const sent = await api.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: bearer(sender.key),
      payload: { pool_id: poolId, to: '+14155550123', body: 'Your order is ready.' },
    });
    expect(sent.statusCode, sent.body).toBe(202);
    const keys = await api.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: bearer(sender.key),
      payload: { name: 'escalation', scope: 'admin' },
    });
    expect(keys.statusCode).toBe(403);
    expect(keys.json().error).toMatchObject({
      code: 'insufficient_scope',
      details: { scope: 'send', required: 'admin' },
    });
    const patch = await api.app.inject({
      method: 'PATCH',
      url: `/v1/pools/${poolId}`,
      headers: bearer(sender.key),
      payload: { name: 'renamed by a key' },
    });
    expect(patch.statusCode).toBe(403);
  });

  it('a revoked key is refused from the next request on; the list never shows a secret', async () => {
    const temporary = await createKey(api, 'contractor', 'admin');
    const before = await api.app.inject({
      method: 'GET',
      url: '/v1/api-keys',
      headers: bearer(temporary.key),
    });
    expect(before.statusCode).toBe(200);
    const revoke = await api.app.inject({
      method: 'DELETE',
      url: `/v1/api-keys/${temporary.id}`,
      headers: api.auth,
    });
    expect(revoke.statusCode, revoke.body).toBe(200);
    expect(revoke.json().revoked_at).not.toBeNull();
    const after = await api.app.inject({
      method: 'GET',
      url: '/v1/campaigns',
      headers: bearer(temporary.key),
    });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toContain('revoked');

    const list = await api.app.inject({ method: 'GET', url: '/v1/api-keys', headers: api.auth });
    const listed = list.json<{ api_keys: Record<string, unknown>[] }>().api_keys;
    expect(listed.find((key) => key.id === temporary.id)).toMatchObject({
      name: 'contractor',
      prefix: temporary.key.slice(0, 12),
      revoked_at: expect.any(String),
      last_used_at: expect.any(String),
    });
    for (const key of listed) expect(Object.keys(key)).not.toContain('key');
    expect(list.body).not.toContain(temporary.key);
    expect(list.body).not.toContain(TEST_API_KEY);
  });

  it('the last active admin key cannot be revoked (409); an unknown key id is a 404', async () => {
    const { api_keys: keys } = (
      await api.app.inject({ method: 'GET', url: '/v1/api-keys', headers: api.auth })
    ).json<{
      api_keys: { id: string; name: string; scope: string; revoked_at: string | null }[];
    }>();
    const bootstrap = keys.find((key) => key.name === 'bootstrap');
    expect(keys.filter((key) => key.scope === 'admin' && key.revoked_at === null)).toHaveLength(1);
    const refused = await api.app.inject({
      method: 'DELETE',
      url: `/v1/api-keys/${bootstrap?.id}`,
      headers: api.auth,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('last_admin_key');
    const unknown = await api.app.inject({
      method: 'DELETE',
      url: '/v1/api-keys/key_nope',
      headers: api.auth,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it("records operator changes under the key's name", async () => {
    const ops = await createKey(api, 'ops-team', 'admin');
    const poolId = await seedPool(api.database.db, [{ phone: '+14155550101' }], {
      name: 'named changes',
    });
    const patch = await api.app.inject({
      method: 'PATCH',
      url: `/v1/pools/${poolId}`,
      headers: bearer(ops.key),
      payload: { name: 'renamed by a key' },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const changes = await api.app.inject({
      method: 'GET',
      url: `/v1/pools/${poolId}/changes`,
      headers: bearer(ops.key),
    });
    expect(changes.json().changes[0]).toMatchObject({ action: 'update', actor: 'ops-team' });
  });

  it('refuses a name that is empty or has control characters, and an unknown scope', async () => {
    for (const payload of [
      { name: '', scope: 'read' },
      { name: 'a\u0000b', scope: 'read' },
      { name: 'fine', scope: 'root' },
    ]) {
      const response = await api.app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: api.auth,
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });
});

describe('rate limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ AUTH_FAILURES_PER_MINUTE: '5', API_RATE_LIMIT_PER_MINUTE: '8' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('an address that fails authentication too often gets 429 with Retry-After; valid keys still work', async () => {
    const attacker = '203.0.113.7';
    const team = await createKey(api, 'team', 'read');
    const fresh = await createKey(api, 'fresh', 'read');
    // The team's key has worked lately (from anywhere); the fresh one has never been used.
    const used = await api.app.inject({
      method: 'GET',
      url: '/v1/campaigns',
      headers: bearer(team.key),
    });
    expect(used.statusCode).toBe(200);
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await api.app.inject({
        method: 'GET',
        url: '/v1/campaigns',
        headers: bearer(`guess-${i}-xxxxxxxx`),
        remoteAddress: attacker,
      });
      codes.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
        expect(response.json().error.code).toBe('rate_limited');
      }
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    // A missing header from that address is refused the same way, without a lookup.
    const bare = await api.app.inject({
      method: 'GET',
      url: '/v1/campaigns',
      remoteAddress: attacker,
    });
    expect(bare.statusCode).toBe(429);
    // The environment key (it may be short) is not checked from a blocked address …
    const envKey = await api.app.inject({
      method: 'GET',
      url: '/v1/campaigns',
      headers: api.auth,
      remoteAddress: attacker,
    });
    expect(envKey.statusCode).toBe(429);
    // … nor is a generated key this process has not seen work lately …
    const unseen = await api.app.inject({
      method: 'GET',
      url: '/v1/campaigns',
      headers: bearer(fresh.key),
      remoteAddress: attacker,
    });
    expect(unseen.statusCode).toBe(429);
    // … but one that worked lately is, so a team behind the same address keeps working.
    const generated = await api.app.inject({
      method: 'GET',
      url: '/v1/campaigns',
      headers: bearer(team.key),
      remoteAddress: attacker,
    });
    expect(generated.statusCode, generated.body).toBe(200);
    // Revoked meanwhile, it is refused at once all the same.
    await api.app.inject({ method: 'DELETE', url: `/v1/api-keys/${team.id}`, headers: api.auth });
    const revoked = await api.app.inject({
      method: 'GET',
      url: '/v1/campaigns',
      headers: bearer(team.key),
      remoteAddress: attacker,
    });
    expect(revoked.statusCode).toBe(429);
    // Other addresses are not affected.
    const elsewhere = await api.app.inject({
      method: 'GET',
      url: '/v1/campaigns',
      headers: api.auth,
      remoteAddress: '198.51.100.20',
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('a key over its requests per minute gets 429 with Retry-After; other keys and /healthz do not', async () => {
    const busy = await createKey(api, 'busy', 'read');
    const other = await createKey(api, 'other', 'read');
    const codes: number[] = [];
    let last: Awaited<ReturnType<typeof api.app.inject>> | undefined;
    for (let i = 0; i < 10; i++) {
      last = await api.app.inject({
        method: 'GET',
        url: '/v1/campaigns',
        headers: bearer(busy.key),
      });
      codes.push(last.statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
    expect(last?.json().error).toMatchObject({ code: 'rate_limited' });
    expect(last?.json().error.message).toContain('busy');
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    expect(last?.headers['x-ratelimit-limit']).toBe('8');
    const fine = await api.app.inject({
      method: 'GET',
      url: '/v1/campaigns',
      headers: bearer(other.key),
    });
    expect(fine.statusCode).toBe(200);
    expect(fine.headers['x-ratelimit-remaining']).toBe('7');
    for (let i = 0; i < 12; i++) {
      const health = await api.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
    }
  });
});

describe('logs and docs', () => {
  it('logs /v1 URLs without their query strings, and never the Authorization header', async () => {
    const lines: string[] = [];
    const api = await startTestApi(
      {},
      { logger: { level: 'info', stream: { write: (line) => void lines.push(line) } } },
    );
    try {
      const response = await api.app.inject({
        method: 'GET',
        url: '/v1/campaigns?name=secret-in-query&api_key=also-secret',
        headers: api.auth,
      });
      expect(response.statusCode).toBe(200);
      const logged = lines.map((line) => JSON.parse(line) as { req?: { url?: string } });
      expect(logged.some((line) => line.req?.url === '/v1/campaigns')).toBe(true);
      const all = lines.join('');
      expect(all).not.toContain('secret-in-query');
      expect(all).not.toContain('also-secret');
      expect(all).not.toContain(TEST_API_KEY);
    } finally {
      await api.close();
    }
  });

  it('DOCS_ACCESS=auth: /docs/json needs a valid key (any scope); off: 404; public by default outside production', async () => {
    const guarded = await startTestApi({ DOCS_ACCESS: 'auth' });
    const off = await startTestApi({ DOCS_ACCESS: 'off' });
    const open = await startTestApi();
    try {
      const anonymous = await guarded.app.inject({ method: 'GET', url: '/docs/json' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().error.code).toBe('unauthorized');
      const ui = await guarded.app.inject({ method: 'GET', url: '/docs' });
      expect(ui.statusCode).toBe(401);
      const reader = await createKey(guarded, 'docs reader', 'read');
      const allowed = await guarded.app.inject({
        method: 'GET',
        url: '/docs/json',
        headers: bearer(reader.key),
      });
      expect(allowed.statusCode).toBe(200);
      expect(allowed.json().openapi).toMatch(/^3\./);

      for (const url of ['/docs', '/docs/json']) {
        const gone = await off.app.inject({ method: 'GET', url, headers: off.auth });
        expect(gone.statusCode, url).toBe(404);
      }
      const document = await open.app.inject({ method: 'GET', url: '/docs/json' });
      expect(document.statusCode).toBe(200);
      expect(open.config.DOCS_ACCESS).toBe('public');
      // Every route the send scope names exists, and its description says what it needs.
      const paths = document.json<{
        paths: Record<string, Record<string, { description?: string }>>;
      }>().paths;
      for (const route of SEND_ROUTES) {
        const [method = '', url = ''] = route.split(' ');
        const operation = paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
        expect(operation, route).toBeDefined();
        expect(operation?.description, route).toContain('scope `send`');
      }
    } finally {
      await Promise.all([guarded.close(), off.close(), open.close()]);
    }
  });
});
