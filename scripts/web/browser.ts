/**
 * A headless Chromium for the console's browser tests and bench: Debian's `chromium` where
 * installed, else the one `@sparticuz/chromium` ships inside its npm package (this machine kind
 * cannot download a browser), with the background services that would reach the network off.
 */
import { existsSync } from 'node:fs';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser } from 'playwright-core';

const QUIET_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

export async function launchBrowser(): Promise<Browser> {
  const system = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file) =>
    existsSync(file),
  );
  if (system !== undefined)
    return playwright.launch({
      executablePath: system,
      headless: true,
      args: ['--no-sandbox', ...QUIET_FLAGS],
    });
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    // --single-process suits a one-page serverless function; tests open and close contexts.
    args: [...chromium.args.filter((flag) => flag !== '--single-process'), ...QUIET_FLAGS],
    headless: true,
  });
}
