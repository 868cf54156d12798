import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/build.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Store and end-to-end tests open real files and ports; keep workers few on a 2-core machine.
    maxWorkers: 2,
  },
});
