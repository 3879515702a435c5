import { defineConfig } from 'vitest/config';

// Three tiers, one runner: pure unit tests, integration tests on a real SQL engine
// (PGlite by default, PostgreSQL when TEST_DATABASE_URL is set), and browser tests in Debian's Chromium.
export default defineConfig({
  test: {
    teardownTimeout: 120_000,
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          // Tiers run one after another (unit, integration, browser): on two cores they would only slow each other.
          sequence: { groupOrder: 1 },
          include: ['src/**/*.int.test.ts', 'test/integration/**/*.int.test.ts'],
          globalSetup: ['test/setup/global-setup.ts'],
          // Some tests walk every route as every role; on a busy two-core machine that takes minutes, not seconds.
          testTimeout: 300_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'browser',
          sequence: { groupOrder: 2 },
          include: ['test/browser/**/*.browser.test.ts'],
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
