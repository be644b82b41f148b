import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Rule fixtures and example projects are data, never tests.
    exclude: ['**/node_modules/**', '**/fixtures/**', 'examples/**'],
    testTimeout: 60_000,
    // Tests never reach the network: dependency checks needing data are skipped unless a test
    // hands recorded answers (`advisories`, `dependencyData.registryAnswersDir`).
    env: { PROBITY_OFFLINE: '1' },
    pool: 'threads',
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
