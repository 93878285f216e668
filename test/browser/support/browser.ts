/**
 * A real headless Chromium for the console's tests: Debian's `chromium` where installed, else
 * the one `@sparticuz/chromium` ships inside its npm package (this machine kind cannot download
 * a browser). Every page is watched: a console error, a failed request or an answer >= 400
 * that the test did not announce fails the test (`expectClean`).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { VIEWPORTS } from '../../../scripts/web/browser.ts';

export { VIEWPORTS, launchBrowser } from '../../../scripts/web/browser.ts';

export const SCREENSHOTS = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'test-artifacts',
  'screenshots',
);

export interface WatchedPage {
  page: Page;
  /** Answers the test expects to be >= 400 (e.g. a wrong key's 401), by path and status. */
  allow(status: number, pathPrefix: string): void;
  problems: string[];
  expectClean(): void;
  screenshot(name: string): Promise<void>;
}

export async function openPage(
  browser: Browser,
  viewport: keyof typeof VIEWPORTS = 'desktop',
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: VIEWPORTS[viewport],
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const allowed: { status: number; pathPrefix: string }[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs every answer >= 400 as an error too: the response listener judges those.
    if (/^Failed to load resource: the server responded with a status of \d+/.test(message.text()))
      return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    problems.push(
      `request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`,
    );
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const url = new URL(response.url());
    const expected = allowed.some(
      (rule) => rule.status === response.status() && url.pathname.startsWith(rule.pathPrefix),
    );
    if (!expected)
      problems.push(
        `unexpected ${response.status()} for ${response.request().method()} ${url.pathname}`,
      );
  });
  return {
    page,
    problems,
    allow: (status, pathPrefix) => allowed.push({ status, pathPrefix }),
    expectClean: () => {
      if (problems.length > 0) throw new Error(`the page had problems:\n${problems.join('\n')}`);
    },
    screenshot: async (name) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({
        path: path.join(SCREENSHOTS, `${name}-${viewport}.png`),
        fullPage: true,
      });
    },
  };
}

/** Signs in through the form, as an operator would. */
export async function signIn(page: Page, baseUrl: string, apiKey: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Campaigns', exact: true }).waitFor();
}

/** Goes to a console page through its menu link (a reload would forget the in-memory key). */
export async function go(
  page: Page,
  name: 'Campaigns' | 'Audiences' | 'Pools' | 'Inbox',
): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}
