import { defineConfig } from 'vitest/config';

// Temporal workers misbehave under worker threads: every project runs in forked processes.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          pool: 'forks',
          // Generous: unit files share two cores with the integration stack.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          pool: 'forks',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          // The console (web/) in a real headless Chromium against the real stack.
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          pool: 'forks',
          globalSetup: ['test/support/global-setup.ts', 'test/browser/support/build-console.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
