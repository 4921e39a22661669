import { defineConfig } from 'vitest/config';
import { MAX_WORKERS } from './tests/support/workers.ts';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['./tests/global-setup.ts'],
    pool: 'forks',
    // Each worker has its own database and every file its own Redis/Kafka prefixes, so files run in parallel.
    maxWorkers: MAX_WORKERS,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
