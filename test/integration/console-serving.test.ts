import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/web/build.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;

beforeAll(async () => {
  await buildConsole({ say: () => {} });
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

const get = (url: string) => api.app.inject({ method: 'GET', url });

describe('the console served by the API', () => {
  it('serves index.html at / with no-cache and the security headers', async () => {
    const page = await get('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toContain('<div id="app">');
  });

  it('serves hashed assets as immutable for a year', async () => {
    const page = await get('/');
    const scripts = [...page.body.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      const asset = await get(String(script));
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['content-type']).toMatch(/javascript/);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('answers client routes with the app, and keeps the API and webhook 404s as JSON', async () => {
    for (const route of ['/campaigns', '/campaigns/12', '/inbox/7', '/pools/3', '/audiences']) {
      const page = await get(route);
      expect(page.statusCode, route).toBe(200);
      expect(page.body, route).toContain('<div id="app">');
      expect(page.headers['cache-control'], route).toBe('no-cache');
    }
    for (const route of ['/v1/nothing-here', '/webhooks/nothing', '/assets/missing-abc.js']) {
      const miss = await get(route);
      expect(miss.statusCode, route).toBe(404);
      expect(miss.json(), route).toMatchObject({ error: { code: expect.any(String) } });
    }
    const health = await get('/healthz');
    expect(health.headers['content-security-policy']).toBeUndefined();
  });
});
