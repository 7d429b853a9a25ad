import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The tests mostly wait on sockets and paced audio, not on the CPU: three files at a time halve
    // the suite's time on a 2-core machine, where vitest's default is one.
    maxWorkers: 3,
  },
});
