import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_API_KEY, startTestApi, type TestApi } from '../support/api.ts';
import { go, launchBrowser, openPage, signIn } from './support/browser.ts';

let api: TestApi;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  api = await startTestApi();
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const address = api.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  baseUrl = `http://127.0.0.1:${address.port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('signing in to the console', () => {
  it('refuses a wrong key with a message, signs in with the right one, and signs out', async () => {
    const watched = await openPage(browser);
    const { page } = watched;
    watched.allow(401, '/v1/campaigns');
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in to tandem' }).waitFor();
    await watched.screenshot('sign-in');
    await page.getByLabel('API key').fill('not-the-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('refused this key (401)');

    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Campaigns' }).waitFor();
    await page.getByRole('heading', { name: 'No campaigns yet' }).waitFor();
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage, ...sessionStorage })',
    );
    expect(stored).not.toContain(TEST_API_KEY);
    expect(await page.context().cookies()).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signed out.').waitFor();
    watched.expectClean();
  });

  it('shows every page with its empty state, at desktop and phone sizes', async () => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const watched = await openPage(browser, viewport);
      const { page } = watched;
      await signIn(page, baseUrl, TEST_API_KEY);
      await page.getByRole('heading', { name: 'No campaigns yet' }).waitFor();
      await watched.screenshot('campaigns-empty');
      await go(page, 'Audiences');
      await page.getByRole('heading', { name: 'No audiences yet' }).waitFor();
      await go(page, 'Pools');
      await page.getByRole('heading', { name: 'No pools yet' }).waitFor();
      await go(page, 'Inbox');
      await page.getByRole('heading', { name: 'Nobody is waiting for an answer' }).waitFor();
      await watched.screenshot('inbox-empty');
      watched.expectClean();
      await page.context().close();
    }
  });
});
