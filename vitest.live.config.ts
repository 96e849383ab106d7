import { defineConfig } from 'vitest/config';

// `npm run test:live`: the live-hardware tests only. Each skips itself unless its provider's
// credentials are set; with them set, it runs small jobs on the real service (quota and money).
export default defineConfig({
  test: {
    include: ['test/live/**/*.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 120_000,
  },
});
