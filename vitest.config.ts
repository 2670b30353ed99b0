import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // @nexus/client from its sources, as every workspace package (its exports name the build).
  resolve: {
    alias: [
      {
        find: /^@nexus\/client$/,
        replacement: fileURLToPath(new URL('./packages/client/src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: integration suites each run worker threads and Postgres work of their own.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'engine',
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/server/src/**/*.test.ts',
            'apps/tech5-sim/src/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'apps/web/e2e/**/*.test.ts',
            'test/**/*.test.ts',
          ],
          globalSetup: ['./test/globalSetup.ts'],
        },
      },
      {
        // The dashboard's component tests: React in jsdom, no services.
        extends: true,
        plugins: [react()],
        test: {
          name: 'web',
          include: ['apps/web/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['./apps/web/src/test/setup.ts'],
        },
      },
    ],
  },
});
